import { agents } from '../../helpers/agents.js'
import { durations } from '../../helpers/durations.js'
import { summary } from '../../helpers/summary.js'
import { transcript, transcriptEntries } from '../../helpers/transcript.js'
import type { Conversation } from '../../model/conversation.js'
import type { StoredConversation, StoredEvent } from '../../store/event-store.js'
import type { JournalEntry } from './delivery-journal.js'
import type { AgentShare, ConversationView, TimelineEvent } from './inspect-api-types.js'

/** A conversation, decoded or assembled by the library, as the page shows it: the helpers' figures and its transcript's entries. */
export function conversationView(c: Conversation): ConversationView {
  const s = summary(c)
  return {
    summary: s,
    durations: durations(c),
    agents: agentShares(c),
    messages: transcriptEntries(c, (d) => d.toISOString()).map((e) => ({
      kind: e.message.kind,
      label: e.label,
      lines: e.lines,
      sentAt: e.time,
    })),
    transcript: transcript(c),
    warnings: c.warnings,
    closedAt: c.source === 'webhooks' && c.closedAt !== null ? c.closedAt.toISOString() : null,
    closedBy: c.source === 'webhooks' ? c.closedBy : null,
  }
}

/** Each human agent's share of a conversation, as `agents` reports it (names fall back to `Agent <id>`). */
export function agentShares(c: Conversation): AgentShare[] {
  return agents(c).map((a) => ({
    id: a.id,
    name: a.name ?? `Agent ${a.id}`,
    messageCount: a.messageCount,
    wordCount: a.wordCount,
    firstResponseMs: a.firstResponseMs,
  }))
}

/**
 * The store's record of a conversation as JSON, field by field as the store gives it (dates as
 * ISO strings): the page shows every field, so one the store gains later shows without a change here.
 */
export function storedFields(c: StoredConversation): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(c)) {
    out[key] = value instanceof Date ? value.toISOString() : value
  }
  return out
}

/**
 * When the store will hand the conversation to an export, as far as this inspector's settings
 * tell: a closed (or once exported, now with later events) pending one once nothing arrived for
 * `settleMs`; an open one after `quietMs` of quiet. `null` when it is not waiting for time
 * (exported, claimed, failed, or a retry whose delay the store keeps).
 */
export function dueAt(c: StoredConversation, settleMs: number, quietMs: number | null): Date | null {
  const last = c.lastReceivedAt.getTime()
  if (c.state === 'pending' && c.failures === 0 && (c.closedAt !== null || c.revision > 0))
    return new Date(last + settleMs)
  if (c.state === 'open' && quietMs !== null) return new Date(last + quietMs)
  return null
}

/**
 * A conversation's events in the order they happened, each with its place in the order of
 * arrival, whether it came late (after an event that happened later), and every delivery of it
 * in the journal (more than one: re-deliveries). Deliveries that claim the conversation but were
 * not stored (forged, unsigned) are on it too, marked so.
 */
export function timelineOf(
  stored: readonly StoredEvent[],
  journal: readonly JournalEntry[],
): TimelineEvent[] {
  // The deliveries the store took (or found stored already), by key; refused ones apart, even
  // when a refused body is byte for byte a stored event (a forged replay of it).
  const byKey = new Map<string, number[]>()
  const refused = new Map<string, JournalEntry[]>()
  for (const d of journal) {
    if (d.store === 'not-stored') {
      const key = d.key ?? `#${d.seq}`
      refused.set(key, [...(refused.get(key) ?? []), d])
    } else if (d.key !== null) {
      byKey.set(d.key, [...(byKey.get(d.key) ?? []), d.seq])
    }
  }
  const arrivalOrder = [...stored].sort(
    (a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.key < b.key ? -1 : 1),
  )
  const arrival = new Map(arrivalOrder.map((e, i) => [e.key, i + 1]))
  const items: TimelineEvent[] = stored.map((e) => ({
    key: e.key,
    event: e.event,
    occurredAt: e.occurredAt?.toISOString() ?? null,
    receivedAt: e.receivedAt.toISOString(),
    arrival: arrival.get(e.key) ?? 0,
    late: false,
    deliveries: byKey.get(e.key) ?? [],
    size: e.body.length,
    poisoned: e.poisoned,
    stored: true,
    text: null,
  }))
  // Refused deliveries that name this conversation: shown, never stored.
  for (const list of refused.values()) {
    const first = list[0] as JournalEntry
    items.push({
      key: first.key,
      event: first.event,
      occurredAt: first.occurredAt,
      receivedAt: first.receivedAt,
      arrival: 0,
      late: false,
      deliveries: list.map((d) => d.seq),
      size: first.size,
      poisoned: null,
      stored: false,
      text: null,
    })
  }
  items.sort(
    (a, b) => timeOf(a.occurredAt) - timeOf(b.occurredAt) || a.receivedAt.localeCompare(b.receivedAt),
  )
  // From the last to happen back to the first: an event that arrived after the earliest arrival of
  // the events that happened after it came late.
  let earliestLater = Number.POSITIVE_INFINITY
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as TimelineEvent
    if (!item.stored) continue
    if (item.arrival > earliestLater) items[i] = { ...item, late: true }
    earliestLater = Math.min(earliestLater, item.arrival)
  }
  return items
}

function timeOf(iso: string | null): number {
  return iso === null ? Number.MAX_SAFE_INTEGER : Date.parse(iso)
}
