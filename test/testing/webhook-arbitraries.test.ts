// The webhook arbitraries, derived from the webhook codecs, and the decoder against the codecs
// over them: strict decoding accepts exactly what the codecs accept (a known event by its own
// codec, an unknown one by the envelope's), lenient decoding refuses only an unusable envelope,
// and lenient without warnings is exactly strict success (as test/codecs/reader-agreement does
// for the POST hook).
import fc from 'fast-check'
import {
  decodeWebhookEvent,
  encodeWebhookEvent,
  WEBHOOK_EVENT_DATA,
  WebhookEnvelopePayload,
  WebhookEventPayload,
} from 'smartsupp-hook'
import {
  mutatedWebhookEvent,
  unknownWebhookEvent,
  webhookArbitraries,
  webhookEvent,
} from 'smartsupp-hook/testing/arbitraries'
import { describe, expect, it } from 'vitest'
import { codecNode, documentedPaths } from '../../src/codecs/codec-structure.js'
import { IsoTimestamp } from '../../src/codecs/webhook/iso-timestamp.js'
import { WebhookId } from '../../src/codecs/webhook/webhook-id.js'

type Obj = Record<string, unknown>
const isObject = (u: unknown): u is Obj => u !== null && typeof u === 'object' && !Array.isArray(u)
const hasOwn = Object.prototype.hasOwnProperty
const RUNS = Number(process.env.AGREEMENT_RUNS ?? 400)

/** What the codecs say strict decoding must accept. */
function codecAccepts(u: unknown): boolean {
  if (!isObject(u)) return false
  const known = typeof u.event === 'string' && hasOwn.call(WEBHOOK_EVENT_DATA, u.event)
  return known ? WebhookEventPayload.is(u) : WebhookEnvelopePayload.is(u)
}

const inputs = fc.oneof(
  webhookEvent(),
  webhookEvent({ unknownFields: true }),
  unknownWebhookEvent(),
  mutatedWebhookEvent(),
  mutatedWebhookEvent(),
)

describe('webhook arbitraries', () => {
  it('the webhook leaf codecs are annotated where they are defined', () => {
    expect(codecNode(IsoTimestamp).kind).toBe('leaf')
    expect(codecNode(WebhookId).kind).toBe('leaf')
  })

  it('generate every known event name', () => {
    const seen = new Set(fc.sample(webhookEvent(), 2_000).map((e) => e.event))
    expect([...seen].sort()).toEqual(Object.keys(WEBHOOK_EVENT_DATA).sort())
  })

  it('generate every documented field of every webhook codec (a field added to a codec is generated)', () => {
    const seen = new Set<string>()
    const walk = (value: unknown, path: string) => {
      if (Array.isArray(value)) for (const v of value) walk(v, `${path}[]`)
      else if (isObject(value)) {
        for (const [key, v] of Object.entries(value)) {
          const child = path === '' ? key : `${path}.${key}`
          seen.add(child)
          // Only the documented structure: the content of tags, variables, properties is free.
          if (!/(tags|variables|properties|attachments|content\.data)$/.test(child)) walk(v, child)
        }
      }
    }
    for (const e of fc.sample(webhookEvent(), 3_000)) walk(e, '')
    expect(documentedPaths(WebhookEventPayload).filter((p) => !seen.has(p))).toEqual([])
  })

  it('strict decoding accepts every generated known event with no warning', () => {
    fc.assert(
      fc.property(webhookEvent(), (e) => {
        const result = decodeWebhookEvent(e, { mode: 'strict' })
        if (result._tag === 'Left') throw new Error(result.left.message)
        expect(result.right.known).toBe(true)
        expect(result.right.warningCount).toBe(0)
        expect(encodeWebhookEvent(result.right)).toStrictEqual(e)
      }),
      { numRuns: RUNS },
    )
  })

  it('unknown events decode as unknown, in both modes; unknown fields decode leniently with warnings', () => {
    fc.assert(
      fc.property(unknownWebhookEvent(), (e) => {
        const result = decodeWebhookEvent(e, { mode: 'strict' })
        expect(result._tag === 'Right' && !result.right.known).toBe(true)
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(webhookEvent({ unknownFields: true }), (e) => {
        const result = decodeWebhookEvent(e)
        expect(result._tag === 'Right' && result.right.warningCount > 0).toBe(true)
        expect(decodeWebhookEvent(e, { mode: 'strict' })._tag).toBe('Left')
      }),
      { numRuns: 200 },
    )
  })

  it('a subset of events, and a refused empty or unknown subset', () => {
    const names = new Set(fc.sample(webhookEvent({ events: ['conversation.rated'] }), 50).map((e) => e.event))
    expect([...names]).toEqual(['conversation.rated'])
    expect(() => webhookEvent({ events: [] })).toThrow(TypeError)
    expect(() => webhookEvent({ events: ['nope' as never] })).toThrow(/not a known event/)
  })

  it('are bound to the fast-check given', () => {
    expect(fc.sample(webhookArbitraries(fc).webhookEvent(), 3)).toHaveLength(3)
  })
})

describe('the webhook decoder agrees with the webhook codecs', () => {
  it('never throws, in either mode, on generated and mutated events', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        decodeWebhookEvent(input)
        decodeWebhookEvent(input, { mode: 'strict' })
      }),
      { numRuns: RUNS },
    )
  })

  it('strict: accepts exactly what the codecs accept', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(decodeWebhookEvent(input, { mode: 'strict' })._tag === 'Right').toBe(codecAccepts(input))
      }),
      { numRuns: RUNS },
    )
  })

  it('lenient: refuses only an unusable envelope, and round-trips what it accepts', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const usable = isObject(input) && typeof input.event === 'string' && isObject(input.data)
        const lenient = decodeWebhookEvent(input)
        expect(lenient._tag === 'Right').toBe(usable)
        if (lenient._tag === 'Right') expect(encodeWebhookEvent(lenient.right)).toStrictEqual(input)
      }),
      { numRuns: RUNS },
    )
  })

  it('lenient with no warning is exactly strict success', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const lenient = decodeWebhookEvent(input)
        const clean = lenient._tag === 'Right' && lenient.right.warningCount === 0
        expect(clean).toBe(decodeWebhookEvent(input, { mode: 'strict' })._tag === 'Right')
      }),
      { numRuns: RUNS },
    )
  })
})
