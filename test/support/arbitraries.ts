import fc from 'fast-check'
import type { ConversationPayload, MessagePayload } from '../../src/index.js'

// Timestamps that a Date holds and that look like real ones (2000 … 2100).
const epochMillis = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 })
const count = fc.nat({ max: 100_000 })
const text = fc.string({ unit: 'binary', maxLength: 30 })
const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
const agentRef = fc.nat({ max: 1_000_000 }).map((id) => `agent:${id}` as const)
const visitorRef = nonEmpty.map((key) => `visitor:${key}` as const)
const senderRef = fc.oneof(visitorRef, agentRef, fc.constant('system' as const))

function message<T extends MessagePayload['type'], F extends string>(type: T, from: fc.Arbitrary<F>) {
  return fc.record(
    {
      type: fc.constant(type),
      name: text,
      from,
      content: text,
      sentAt: epochMillis,
      triggeredBy: fc.option(text, { nil: null }),
    },
    { requiredKeys: ['type', 'from', 'content', 'sentAt', 'triggeredBy'] },
  )
}

/** Any message in the current documented form. */
export const messagePayload: fc.Arbitrary<MessagePayload> = fc.oneof(
  message('visitor', visitorRef),
  message('agent', fc.oneof(agentRef, fc.constant('system' as const))),
  message('system', senderRef),
) as fc.Arbitrary<MessagePayload>

/**
 * Any payload in the current documented form: what strict decoding must accept. It goes through
 * JSON text, so it is exactly what `JSON.parse` gives a receiver (plain objects, no `-0`).
 */
export function conversationPayload(
  options: { maxMessages?: number } = {},
): fc.Arbitrary<ConversationPayload> {
  return fc
    .record({
      accountId: fc.nat(),
      beginAt: epochMillis,
      endAt: epochMillis,
      channel: fc.record({
        id: fc.nat(),
        isChat: fc.boolean(),
        isMissed: fc.boolean(),
        isTriggered: fc.boolean(),
        isOffline: fc.boolean(),
        isCompleted: fc.boolean(),
        isDropped: fc.boolean(),
        duration: count,
        avgResponse: count,
        firstResponse: count,
        messagesCount: count,
        wordsCount: count,
        rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        ratingDesc: fc.option(text, { nil: null }),
      }),
      visitor: fc.record({
        id: fc.nat(),
        name: fc.option(text, { nil: null }),
        email: fc.option(text, { nil: null }),
        note: fc.option(text, { nil: null }),
        group: fc.option(text, { nil: null }),
        ipAddress: text,
        city: text,
        countryCode: text,
        country: text,
        userAgent: text,
        platform: text,
        referer: text,
        variables: fc.dictionary(
          text,
          fc.record({
            label: text,
            value: fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
          }),
          { maxKeys: 4 },
        ),
      }),
      paths: fc.array(fc.record({ url: text, title: text }), { maxLength: 4 }),
      messages: fc.array(messagePayload, { maxLength: options.maxMessages ?? 12 }),
    })
    .map((p) => JSON.parse(JSON.stringify(p)) as ConversationPayload)
}

type Holder = Record<string | number, unknown>

/** Every place in a JSON tree that can be changed: its holder and key. */
function places(root: unknown): [Holder, string | number][] {
  const out: [Holder, string | number][] = []
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key
      out.push([node as Holder, k])
      walk((node as Holder)[k])
    }
  }
  walk(root)
  return out
}

/**
 * A valid payload with up to three changes at random places: a value replaced by any JSON value,
 * a key removed, or an extra key added. Most results are invalid in some way; some stay valid.
 */
export function mutatedPayload(): fc.Arbitrary<unknown> {
  const change = fc.record({
    kind: fc.constantFrom('replace', 'remove', 'add'),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 3 }),
    key: fc.constantFrom('extra', '__proto__', 'constructor', 'name', 'email', 'groupKey', 'from'),
  })
  return fc
    .tuple(conversationPayload({ maxMessages: 4 }), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([payload, changes]) => {
      const root = structuredClone(payload) as unknown
      for (const c of changes) {
        const all = places(root)
        if (all.length === 0) break
        const [holder, key] = all[c.at % all.length] as [Holder, string | number]
        if (c.kind === 'replace') holder[key] = c.value
        else if (c.kind === 'remove') {
          if (Array.isArray(holder)) holder.splice(key as number, 1)
          else delete holder[key]
        } else {
          const target = holder[key]
          if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
            Object.defineProperty(target, c.key, {
              value: c.value,
              enumerable: true,
              writable: true,
              configurable: true,
            })
          }
        }
      }
      return root
    })
}
