import { readFileSync } from 'node:fs'
import { seededRandom as random } from '../test/support/seeded-random.js'

const examplePath = new URL('../examples/payloads/documented-example.json', import.meta.url)

/** The documented example's text (about 2.5 KB), exactly as bundled. */
export const documentedExampleText: string = readFileSync(examplePath, 'utf8')

const WORDS = [
  'hello',
  'order',
  'invoice',
  'shipping',
  'please',
  'thanks',
  'account',
  'password',
  'refund',
  'delivery',
  'tomorrow',
  'price',
  'discount',
  'question',
  'problem',
  'checkout',
  'card',
  'the',
  'a',
  'is',
  'my',
  'your',
  'can',
  'you',
  'help',
  'with',
  'when',
  'where',
  'why',
  'ok',
  'yes',
  'no',
]

/**
 * A current-form conversation with `messageCount` messages shaped like real chats: visitor and
 * agent turns (2–12 words each), triggers, agent joins and a closing event. Deterministic.
 */
export function generatePayload(messageCount: number, seed = 1): Record<string, unknown> {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const sentence = () => {
    const n = 2 + Math.floor(next() * 11)
    const words: string[] = []
    for (let i = 0; i < n; i++) words.push(pick(WORDS))
    return words.join(' ')
  }
  const base = JSON.parse(documentedExampleText) as Record<string, unknown>
  const visitorFrom = 'visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015'
  let at = 1_427_470_439_703
  const messages: Record<string, unknown>[] = []
  for (let i = 0; i < messageCount; i++) {
    at += 1 + Math.floor(next() * 20_000)
    const roll = next()
    const agent = 1 + Math.floor(next() * 5)
    if (i === messageCount - 1 && messageCount > 1) {
      messages.push({
        type: 'system',
        from: visitorFrom,
        content: 'close.visitorClose',
        sentAt: at,
        triggeredBy: null,
      })
    } else if (roll < 0.45) {
      messages.push({
        type: 'visitor',
        from: visitorFrom,
        content: sentence(),
        sentAt: at,
        triggeredBy: null,
      })
    } else if (roll < 0.9) {
      messages.push({
        type: 'agent',
        name: `Agent ${agent}`,
        from: `agent:${agent}`,
        content: sentence(),
        sentAt: at,
        triggeredBy: null,
      })
    } else if (roll < 0.95) {
      messages.push({
        type: 'agent',
        name: '',
        from: 'system',
        content: sentence(),
        sentAt: at,
        triggeredBy: 'welcome',
      })
    } else {
      messages.push({
        type: 'system',
        name: `Agent ${agent}`,
        from: `agent:${agent}`,
        content: 'agent.join',
        sentAt: at,
        triggeredBy: null,
      })
    }
  }
  base.endAt = at
  base.messages = messages
  const channel = base.channel as Record<string, unknown>
  channel.messagesCount = messageCount
  return base
}

/**
 * A payload of about `bytes` of JSON text in which every message is broken in the essential
 * `sentAt` (a date string instead of epoch milliseconds) and carries an unknown field: the worst
 * case for the issue reporter, which must stay capped.
 */
export function generateBrokenPayload(messageCount: number): Record<string, unknown> {
  const payload = generatePayload(messageCount, 7)
  for (const m of payload.messages as Record<string, unknown>[]) {
    m.sentAt = new Date(m.sentAt as number).toISOString()
    m.extra = true
  }
  return payload
}

/** The same as `generatePayload`, but every message has an unknown field: lenient decoding warns on each. */
export function generateWarnedPayload(messageCount: number): Record<string, unknown> {
  const payload = generatePayload(messageCount, 7)
  for (const m of payload.messages as Record<string, unknown>[]) m.extra = true
  return payload
}
