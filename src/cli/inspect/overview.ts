import { agents } from '../../helpers/agents.js'
import { category } from '../../helpers/category.js'
import { durations } from '../../helpers/durations.js'
import type { Conversation } from '../../model/conversation.js'
import { accepted } from './delivery-journal.js'
import type { AgentShare, DeliverySummary, Overview } from './inspect-api-types.js'

/**
 * The overview's figures from conversations the library decoded or assembled: first responses
 * (`durations`), answered, missed and offline conversations per day of `beginAt` in UTC, and
 * messages per agent (`agents`), with counts of the deliveries by verdict. Per day counts finished
 * conversations only (a POST hook one, or an assembled one that was closed): one still open is
 * not missed yet. Missed is Smartsupp's flag (`category`): the visitor wrote and no agent ever
 * answered; answered is a chat in which an agent answered a visitor's message. A finished
 * conversation in which the visitor never wrote (a trigger nobody replied to) is neither.
 */
export function overviewOf(
  conversations: readonly Conversation[],
  total: number,
  deliveries: readonly DeliverySummary[],
): Overview {
  const firstResponsesMs: number[] = []
  let unanswered = 0
  const days = new Map<string, { answered: number; missed: number; offline: number }>()
  const byAgent = new Map<string, { name: string; messageCount: number; wordCount: number }>()
  for (const c of conversations) {
    const d = durations(c)
    if (d.firstResponseMs === null) unanswered++
    else firstResponsesMs.push(d.firstResponseMs)
    const time = c.beginAt.getTime()
    if (Number.isFinite(time)) {
      const day = c.beginAt.toISOString().slice(0, 10)
      const kind = category(c)
      const finished = c.source === 'post-hook' || c.closedAt !== null
      const counted =
        kind === 'offline'
          ? 'offline'
          : kind === 'missed'
            ? 'missed'
            : d.answeredTurnCount > 0
              ? 'answered'
              : null
      if (finished && counted !== null) {
        const row = days.get(day) ?? { answered: 0, missed: 0, offline: 0 }
        row[counted]++
        days.set(day, row)
      }
    }
    for (const a of agents(c)) {
      const row = byAgent.get(a.id) ?? { name: a.name ?? `Agent ${a.id}`, messageCount: 0, wordCount: 0 }
      if (a.name !== null) row.name = a.name
      row.messageCount += a.messageCount
      row.wordCount += a.wordCount
      byAgent.set(a.id, row)
    }
  }
  const perAgent: AgentShare[] = [...byAgent.entries()]
    .map(([id, a]) => ({ id, ...a, firstResponseMs: null }))
    .sort((a, b) => b.messageCount - a.messageCount || a.name.localeCompare(b.name))
  return {
    counted: conversations.length,
    total,
    firstResponsesMs,
    unanswered,
    perDay: [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, row]) => ({ day, ...row })),
    perAgent,
    deliveries: {
      total: deliveries.length,
      authentic: deliveries.filter((d) => d.signature.kind === 'valid' || d.signature.kind === 'token-valid')
        .length,
      refused: deliveries.filter((d) => d.status >= 400 && d.status < 500).length,
      invalid: deliveries.filter((d) => d.decode.kind === 'invalid').length,
      duplicates: deliveries.filter((d) => d.duplicateOf !== null && accepted(d)).length,
    },
  }
}
