import type { Report } from '../decode/report.js'
import type { Message, SystemEvent } from '../model/message.js'
import { type AgentSender, type Sender, SYSTEM_SENDER } from '../model/sender.js'
import type { EventFact, MessageFact } from './event-fact.js'
import { compareText } from './time-ordered-facts.js'

/** The events whose `data.message` is a message of the conversation. */
const REPLY_KINDS: Readonly<Record<string, string>> = {
  'conversation.contact_replied': 'contact',
  'conversation.agent_replied': 'agent',
  'conversation.bot_replied': 'bot',
}

/** The events that become system messages, with the POST hook's event codes (see `SystemEvent`). */
const SYSTEM_EVENTS: Readonly<Record<string, SystemEvent>> = {
  'conversation.agent_joined': 'agent.join',
  'conversation.agent_left': 'agent.leave',
  'conversation.agent_assigned': 'agent.assign',
  'conversation.agent_unassigned': 'agent.unassign',
  'conversation.closed': 'close.agentClose',
  'conversation.closed_by_contact': 'close.visitorClose',
}

interface Entry {
  readonly sentMs: number
  /** Breaks ties of `sentMs`: the message id, or the event's key for system messages. */
  readonly order: string
  readonly message: Message
}

/**
 * The conversation's messages from its time-ordered distinct events (internal): one per message id
 * (the latest `updated_at` wins, then the later event), internal notes left out, plus a system
 * message per agent or closing event; sorted by `sentAt`, then id. `w` takes assembly's warnings,
 * at paths starting with the event's index in `ordered`.
 */
export function assembledMessages(
  ordered: readonly EventFact[],
  visitorName: string | null,
  w: Report,
): Message[] {
  // Message id → the index in `ordered` of its latest version (an index, not an object per message).
  const latest = new Map<string, number>()
  const entries: Entry[] = []
  for (let at = 0; at < ordered.length; at++) {
    const f = ordered[at] as EventFact
    if (!f.tells) continue
    const m = f.message
    if (REPLY_KINDS[f.name] !== undefined && m !== null) {
      // A message without an id cannot be matched with another: it stands alone, by its event.
      const id = m.id ?? `\u0000${f.key}`
      const seen = latest.get(id)
      const seenMs = seen === undefined ? null : (ordered[seen] as EventFact).message?.updatedMs
      if (seen === undefined || (m.updatedMs ?? -Infinity) >= (seenMs ?? -Infinity)) latest.set(id, at)
      continue
    }
    const code = SYSTEM_EVENTS[f.name]
    if (code === undefined) continue
    if (f.timeMs === null) {
      w.deviation(
        `[${at}].timestamp`,
        'missing',
        'an ISO 8601 time',
        undefined,
        'left out of messages: no time',
      )
      continue
    }
    entries.push({ sentMs: f.timeMs, order: f.key, message: systemMessage(f, code, visitorName) })
  }
  for (const at of latest.values()) {
    const fact = ordered[at] as EventFact
    const m = fact.message as MessageFact
    // An internal note: the visitor never saw it, and it would count as an answer.
    if (m.type === 'note') continue
    const sentMs = m.createdMs ?? fact.timeMs
    if (sentMs === null) {
      w.deviation(
        `[${at}].data.message.created_at`,
        'missing',
        'an ISO 8601 time',
        undefined,
        'left out of messages: no time',
      )
      continue
    }
    const message = replyMessage(fact, m, new Date(sentMs), at, w)
    entries.push({ sentMs, order: m.id ?? fact.key, message })
  }
  entries.sort((a, b) => a.sentMs - b.sentMs || compareText(a.order, b.order))
  return entries.map((e) => e.message)
}

function agentOrNull(id: string | null): AgentSender | null {
  return id === null ? null : { kind: 'agent', id }
}

function systemMessage(f: EventFact, event: SystemEvent, visitorName: string | null): Message {
  let sender: Sender | null
  let name: string | null = null
  switch (f.name) {
    case 'conversation.agent_unassigned':
      // The event tells only the conversation, not which agent was unassigned.
      sender = null
      break
    case 'conversation.closed':
      sender = agentOrNull(f.agentId ?? f.conversation?.closedByAgentId ?? null) ?? SYSTEM_SENDER
      break
    case 'conversation.closed_by_contact':
      sender = SYSTEM_SENDER
      name = visitorName
      break
    default:
      sender = agentOrNull(f.agentId)
  }
  return {
    kind: 'system',
    sender,
    name,
    content: event,
    sentAt: new Date(f.timeMs as number),
    triggeredBy: null,
    event,
  }
}

function replyMessage(f: EventFact, m: MessageFact, sentAt: Date, at: number, w: Report): Message {
  const name = m.authorName
  const content = m.text ?? ''
  const subType = m.subType
  const kind =
    subType === 'contact' ||
    subType === 'agent' ||
    subType === 'bot' ||
    subType === 'trigger' ||
    subType === 'system'
      ? subType
      : (REPLY_KINDS[f.name] as string)
  switch (kind) {
    case 'contact': {
      const key = m.visitorId ?? f.conversation?.visitorId ?? null
      const sender = key === null ? null : ({ kind: 'visitor', key } as const)
      return { kind: 'visitor', sender, name, content, sentAt, triggeredBy: null }
    }
    case 'agent': {
      if (m.agentId !== null) {
        return {
          kind: 'agent',
          sender: { kind: 'agent', id: m.agentId },
          name,
          content,
          sentAt,
          triggeredBy: null,
        }
      }
      // As the POST hook decoder reads an agent message without an agent: automatic, nobody's answer.
      w.deviation(
        `[${at}].data.message.agent_id`,
        'missing',
        "the agent's id (a string)",
        undefined,
        'read as an automatic message: no agent to count it for',
      )
      return { kind: 'trigger', sender: null, name, content, sentAt, triggeredBy: null }
    }
    case 'system':
      return {
        kind: 'system',
        sender: SYSTEM_SENDER,
        name,
        content,
        sentAt,
        triggeredBy: null,
        event: content,
      }
    default:
      // A bot or a trigger: automatic, and no agent's answer (shared spec: triggered messages).
      return {
        kind: 'trigger',
        sender: SYSTEM_SENDER,
        name,
        content,
        sentAt,
        triggeredBy: m.triggerName ?? name ?? 'bot',
      }
  }
}
