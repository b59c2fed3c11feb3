import fc from 'fast-check'
import {
  assembleConversationOrThrow,
  decodeWebhookEvent,
  type WebhookEvent,
  webhookEventKey,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { decodeEach, script, webhookEvents } from './script.js'

/** The same JSON with every object's keys in reverse order: a re-delivery formatted differently. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  )
}

/** A re-delivery of an event: the same decoded object again, or the same JSON decoded anew. */
function redelivered(
  events: readonly unknown[],
  decoded: readonly WebhookEvent[],
  i: number,
  fresh: boolean,
) {
  if (!fresh) return decoded[i] as WebhookEvent
  const result = decodeWebhookEvent(reversedKeys(events[i]))
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

// A script's events, then the same events in any order with any of them delivered again. Gaps may
// be 0, so events and messages share times and only the tie-break keeps the order.
const arrangement = script({ minGapMs: 0 }).chain((s) => {
  const wire = webhookEvents(s)
  const n = wire.length
  const again = fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.boolean()), { maxLength: n })
  return again.chain((repeats) => {
    const all = [...Array.from({ length: n }, (_, i) => [i, false] as const), ...repeats]
    return fc
      .shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
      .map((delivered) => ({ wire, delivered }))
  })
})

describe('assembleConversation in any order, with re-deliveries', () => {
  it('gives a deep-equal conversation for any permutation and duplication of the events', () => {
    fc.assert(
      fc.property(arrangement, ({ wire, delivered }) => {
        const decoded = decodeEach(wire)
        const expected = assembleConversationOrThrow(decoded)
        const events = delivered.map(([i, fresh]) => redelivered(wire, decoded, i, fresh))
        const actual = assembleConversationOrThrow(events)
        expect(actual).toStrictEqual(expected)
        // Byte-identical events (say, the same agent leaving twice in one millisecond) are one event:
        // nothing tells them from a re-delivery. Every distinct one is kept.
        expect(actual.events).toHaveLength(new Set(decoded.map(webhookEventKey)).size)
      }),
      { numRuns: 300 },
    )
  })

  it('gives the same conversation with the keys given (as a store returns them) as without', () => {
    fc.assert(
      fc.property(arrangement, ({ wire, delivered }) => {
        const decoded = decodeEach(wire)
        const events = delivered.map(([i, fresh]) => redelivered(wire, decoded, i, fresh))
        const keys = events.map(webhookEventKey)
        expect(assembleConversationOrThrow(events, { keys })).toStrictEqual(
          assembleConversationOrThrow(events),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('orders by the events’ times, not by arrival', () => {
    fc.assert(
      fc.property(script({ minGapMs: 1 }), (s) => {
        const decoded = decodeEach(webhookEvents(s))
        const c = assembleConversationOrThrow([...decoded].reverse())
        // Only the opening event and the first step share a time; every other event keeps its place.
        expect(c.events.slice(2)).toEqual(decoded.slice(2))
        expect(new Set(c.events)).toEqual(new Set(decoded))
        const times = c.messages.map((m) => m.sentAt.getTime())
        expect(times).toEqual([...times].sort((a, b) => a - b))
      }),
      { numRuns: 100 },
    )
  })

  it('keeps one event per webhookEventKey, the first given', () => {
    const [wire] = fc.sample(
      script({ minGapMs: 1 }).map((s) => webhookEvents(s)),
      { numRuns: 1, seed: 7 },
    )
    if (wire === undefined) throw new Error('no sample')
    const decoded = decodeEach(wire)
    const again = decodeEach(wire.map(reversedKeys))
    const c = assembleConversationOrThrow([...again, ...decoded])
    expect(c.events).toHaveLength(decoded.length)
    const first = new Set(again)
    for (const event of c.events) expect(first.has(event)).toBe(true)
  })
})
