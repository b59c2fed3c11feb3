import { type Conversation, decodeConversationOrThrow } from 'smartsupp-hook'
import { documentedExample } from '../support/payloads.js'

/** 2023-11-14T22:13:20.000Z: the start of every built conversation. */
export const T0 = 1_700_000_000_000

/** A message for `buildConversation`: who, what, and seconds after `T0`. */
export interface MessageSpec {
  readonly type: 'visitor' | 'agent' | 'system'
  readonly from: string
  readonly content: string
  /** Seconds after T0 (fractions allowed). */
  readonly at: number
  readonly name?: string
  readonly triggeredBy?: string
}

/** A visitor message. */
export const visitor = (content: string, at: number, name?: string): MessageSpec => ({
  type: 'visitor',
  from: 'visitor:v1',
  content,
  at,
  ...(name === undefined ? {} : { name }),
})

/** A human agent's message. */
export const agent = (id: number, content: string, at: number, name?: string): MessageSpec => ({
  type: 'agent',
  from: `agent:${id}`,
  content,
  at,
  ...(name === undefined ? {} : { name }),
})

/** An `agent.join` event. */
export const join = (id: number, at: number, name?: string): MessageSpec => ({
  type: 'system',
  from: `agent:${id}`,
  content: 'agent.join',
  at,
  ...(name === undefined ? {} : { name }),
})

/** A triggered (automatic) message. */
export const trigger = (trigger: string, content: string, at: number): MessageSpec => ({
  type: 'agent',
  from: 'system',
  name: '',
  content,
  at,
  triggeredBy: trigger,
})

/** A system event from `system`, such as `close.visitorClose`. */
export const event = (code: string, at: number): MessageSpec => ({
  type: 'system',
  from: 'system',
  content: code,
  at,
})

/**
 * The documented example with its messages, channel and visitor fields replaced; `beginAt` and
 * `endAt` default to the first and last message's time (T0 when there are none). Strictly decoded.
 */
export function buildConversation(
  messages: readonly MessageSpec[],
  overrides: {
    channel?: Record<string, unknown>
    visitor?: Record<string, unknown>
    beginAt?: number
    endAt?: number
    accountId?: number
  } = {},
): Conversation {
  const p = documentedExample()
  p.messages = messages.map((m) => ({
    type: m.type,
    ...(m.name === undefined ? {} : { name: m.name }),
    from: m.from,
    content: m.content,
    sentAt: T0 + Math.round(m.at * 1000),
    triggeredBy: m.triggeredBy ?? null,
  }))
  const times = p.messages.map((m: { sentAt: number }) => m.sentAt)
  p.beginAt = overrides.beginAt ?? (times.length > 0 ? Math.min(...times) : T0)
  p.endAt = overrides.endAt ?? (times.length > 0 ? Math.max(...times) : T0)
  if (overrides.accountId !== undefined) p.accountId = overrides.accountId
  Object.assign(p.channel, overrides.channel)
  Object.assign(p.visitor, overrides.visitor)
  return decodeConversationOrThrow(p, { mode: 'strict' })
}
