import fc from 'fast-check'
import {
  assembleConversation,
  type DecodeFailure,
  decodeWebhookEvent,
  type WebhookEvent,
  webhookEventKey,
} from 'smartsupp-hook'
import { webhookArbitraries } from 'smartsupp-hook/testing/arbitraries'
import { describe, expect, it } from 'vitest'
import { decoded, story } from './support.js'

const MAX_ISSUE_CHARS = 1000
// The events are typed, but a host can pass anything: these tests pass what the type forbids.
const anyEvents = (u: unknown) => u as readonly WebhookEvent[]

function failure(events: unknown, options?: Parameters<typeof assembleConversation>[1]): DecodeFailure {
  const result = assembleConversation(anyEvents(events), options)
  if (result._tag === 'Right') throw new Error('expected a failure')
  for (const i of result.left.issues) {
    for (const part of [i.path, i.expected, i.found, i.message])
      expect(part.length).toBeLessThanOrEqual(MAX_ISSUE_CHARS)
  }
  expect(result.left.message.length).toBeLessThanOrEqual(MAX_ISSUE_CHARS)
  return result.left
}

const paths = (f: DecodeFailure) => f.issues.map((i) => [i.path, i.code])

describe('assembleConversation on what is not a list of decoded events', () => {
  it('fails, never throws, on a non-array', () => {
    for (const value of [null, undefined, 'events', 42, {}, { length: 1, 0: {} }]) {
      expect(paths(failure(value))).toEqual([['', 'invalid_type']])
    }
  })

  it('fails at the index of each element that is not an event', () => {
    const [good] = decoded(story())
    const f = failure([good, null, 'x', [], { event: 'conversation.opened' }])
    expect(paths(f)).toEqual([
      ['[1]', 'invalid_type'],
      ['[2]', 'invalid_type'],
      ['[3]', 'invalid_type'],
      ['[4].known', 'missing'],
      ['[4].data', 'missing'],
      ['[4].raw', 'missing'],
    ])
    expect(f.issues[0]?.message).toBe(
      '[1]: expected a WebhookEvent, as decodeWebhookEvent returns it (decode each event before assembling), found null',
    )
  })

  it('fails on a raw value that is not a JSON tree: a cycle, a shared object, a bigint, a function', () => {
    const [event] = decoded(story()) as [WebhookEvent]
    const cyclic: Record<string, unknown> = { ...event.raw }
    cyclic.self = cyclic
    const shared = { a: 1 }
    const cases: [Record<string, unknown>, RegExp][] = [
      [cyclic, /contains itself or appears twice/],
      [{ ...event.raw, x: shared, y: [shared] }, /contains itself or appears twice/],
      [{ ...event.raw, n: 10n }, /a bigint/],
      [{ ...event.raw, f: () => 1 }, /a function/],
      [{ ...event.raw, a: new Array(3) }, /hole/],
      [{ ...event.raw, a: Number.NaN }, /NaN/],
    ]
    for (const [raw, found] of cases) {
      const f = failure([{ ...event, raw }])
      expect(paths(f)).toEqual([['[0].raw', 'invalid_type']])
      expect(f.issues[0]?.found).toMatch(found)
    }
  })

  it('turns a throwing getter into an issue at its event, and a throwing array into one at the root', () => {
    const [event] = decoded(story()) as [WebhookEvent]
    const trap = Object.defineProperty({ ...event }, 'data', {
      enumerable: true,
      get() {
        throw new Error('no data for you')
      },
    })
    const f = failure([event, trap])
    expect(f.issues).toEqual([
      expect.objectContaining({
        path: '[1]',
        code: 'unexpected_error',
        message: expect.stringMatching(/no data for you/),
      }),
    ])
    const { proxy, revoke } = Proxy.revocable([event], {})
    revoke()
    expect(paths(failure(proxy))).toEqual([['', 'unexpected_error']])
    const lengthThrows = new Proxy([event], {
      get(target, key) {
        if (key === 'length') throw new RangeError('length is lava')
        return Reflect.get(target, key)
      },
    })
    expect(failure(lengthThrows).issues).toEqual([
      expect.objectContaining({
        path: '',
        code: 'unexpected_error',
        message: expect.stringMatching(/length is lava/),
      }),
    ])
  })

  it('stops reading a huge sparse array after a bounded number of issues', () => {
    const f = failure(new Array(2 ** 32 - 1), { maxIssues: 3 })
    expect(f.issues).toHaveLength(3)
    expect(f.issueCount).toBe(1_000_001)
  })

  it('assembles many events in bounded time: 20 000 re-deliveries and a deep unknown event', () => {
    const events = decoded(story())
    const many = Array.from({ length: 20_000 }, (_, i) => events[i % events.length] as WebhookEvent)
    const deep = decodeWebhookEvent(
      JSON.parse(
        `{"event":"app.future","timestamp":"2024-03-14T09:30:00.000Z","account_id":"1","app_id":"a","data":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      ),
    )
    if (deep._tag === 'Left') throw new Error(deep.left.message)
    const result = assembleConversation([...many, deep.right])
    expect(result._tag).toBe('Right')
    if (result._tag === 'Right') expect(result.right.events).toHaveLength(events.length + 1)
  })

  it('never throws for any array of values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true })),
        (values) => {
          const result = assembleConversation(anyEvents(values))
          expect(result._tag).toBe('Left')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never throws for any decoded events, mutated or unknown, from any conversations', () => {
    const arbitraries = webhookArbitraries(fc)
    const event = fc
      .oneof(arbitraries.webhookEvent(), arbitraries.mutatedWebhookEvent(), arbitraries.unknownWebhookEvent())
      .map((e) => decodeWebhookEvent(e))
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 12 }),
        fc.option(fc.string(), { nil: undefined }),
        (results, id) => {
          const events = results.flatMap((r) => (r._tag === 'Right' ? [r.right] : []))
          const result = assembleConversation(events, id === undefined ? {} : { conversationId: id })
          if (result._tag === 'Right') {
            const c = result.right
            expect(c.beginAt.getTime()).not.toBeNaN()
            expect(c.endAt.getTime()).not.toBeNaN()
            expect(c.events.length).toBeLessThanOrEqual(events.length)
            expect(c.warnings.length).toBeLessThanOrEqual(50)
            for (const m of c.messages) expect(m.sentAt.getTime()).not.toBeNaN()
          } else {
            expect(result.left.issues.length).toBeGreaterThan(0)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('throws a TypeError only for invalid options', () => {
    const events = decoded(story())
    expect(() => assembleConversation(events, { maxIssues: -1 })).toThrow(TypeError)
    expect(() => assembleConversation(events, { conversationId: 7 as unknown as string })).toThrow(TypeError)
    const keys = events.map(webhookEventKey)
    expect(() => assembleConversation(events, { keys: keys.slice(1) })).toThrow(
      /options\.keys holds 6 keys for 7 events/,
    )
    expect(() => assembleConversation(events, { keys: 'k' as unknown as string[] })).toThrow(TypeError)
    expect(() => assembleConversation(events, { keys: [...keys.slice(1), 7 as unknown as string] })).toThrow(
      /array of strings/,
    )
    expect(() => assembleConversation(anyEvents('not events'), { keys })).toThrow(/no array of events/)
    // A hostile array is reported as without keys, not thrown.
    const lengthThrows = new Proxy(events, {
      get(target, key) {
        if (key === 'length') throw new RangeError('length is lava')
        return Reflect.get(target, key)
      },
    })
    expect(assembleConversation(lengthThrows, { keys })._tag).toBe('Left')
  })

  it('with the keys given, still fails on what is not a decoded event, and does not walk raw', () => {
    const events = decoded(story())
    const keys = events.map(webhookEventKey)
    const f = failure([...events.slice(0, 6), null], { keys })
    expect(paths(f)).toEqual([['[6]', 'invalid_type']])
    // The keys stand for raw: a raw that is not a JSON tree is not read (without keys, it fails).
    const cyclic: Record<string, unknown> = { ...(events[0] as WebhookEvent).raw }
    cyclic.self = cyclic
    const withCycle = [{ ...(events[0] as WebhookEvent), raw: cyclic } as WebhookEvent, ...events.slice(1)]
    expect(assembleConversation(withCycle, { keys })._tag).toBe('Right')
    expect(assembleConversation(withCycle)._tag).toBe('Left')
  })
})
