import type { Conversation } from '../model/conversation.js'
import { formatSender } from '../model/sender.js'

/**
 * Every documented field of a conversation as one JSON text, in a fixed order: Dates as epoch
 * milliseconds, visitor variables sorted by key, no `raw` and no warnings (internal; for
 * `idempotencyKey`). Equal data gives equal text, however the payload was written.
 */
export function conversationFingerprint(c: Conversation): string {
  const v = c.visitor
  const f = c.flags
  const r = c.reported
  return JSON.stringify([
    c.accountId,
    c.id,
    c.beginAt.getTime(),
    c.endAt.getTime(),
    [f.isChat, f.isMissed, f.isTriggered, f.isOffline, f.isCompleted, f.isDropped],
    [r.durationSeconds, r.averageResponseSeconds, r.firstResponseSeconds, r.messageCount, r.wordCount],
    c.rating === null ? null : [c.rating.value, c.rating.comment],
    v === null
      ? null
      : [
          v.id,
          v.name,
          v.email,
          v.note,
          v.group,
          v.ipAddress,
          v.city,
          v.countryCode,
          v.country,
          v.userAgent,
          v.platform,
          v.referer,
          v.variables === null
            ? null
            : Object.keys(v.variables)
                .sort()
                .map((key) => {
                  const variable = v.variables?.[key]
                  return [key, variable?.label ?? null, variable?.value ?? null]
                }),
        ],
    c.paths === null ? null : c.paths.map((p) => [p.url, p.title]),
    c.messages.map((m) => [
      m.kind,
      m.sender === null ? null : formatSender(m.sender),
      m.name,
      m.content,
      m.sentAt.getTime(),
      m.triggeredBy,
    ]),
  ])
}
