import type * as FastCheck from 'fast-check'
import type { ConversationPayload } from '../codecs/conversation.js'
import type { LegacyConversationPayload } from '../codecs/legacy.js'
import type { MessagePayload } from '../codecs/message.js'
import { toLegacyForm } from './legacy-form.js'

/** The fast-check module, as `import fc from 'fast-check'` or `import * as fc` gives it (3.22 or later). */
export type FastCheckModule = Omit<typeof FastCheck, 'default'>

/** Options of `conversationPayload`. */
export interface ConversationArbitraryOptions {
  /** Fewest messages. Default 0. */
  readonly minMessages?: number
  /** Most messages. Default 12. */
  readonly maxMessages?: number
  /** Add fields the spec does not document at every level (root, channel, visitor, variables, paths, messages). Default false. */
  readonly unknownFields?: boolean
  /** `'current'` (default) or `'legacy'`, the pre-2018 form. */
  readonly form?: 'current' | 'legacy'
}

/** Property-test generators of Smartsupp payloads, bound to the caller's fast-check. */
export interface PayloadArbitraries {
  /**
   * Payloads that decode: in the current form without unknown fields, strict decoding accepts
   * every one; legacy or with unknown fields, lenient decoding does. Field values are arbitrary
   * (the flags need not match the messages); every value is what `JSON.parse` gives a receiver.
   */
  conversationPayload(
    options?: ConversationArbitraryOptions & { readonly form?: 'current' },
  ): FastCheck.Arbitrary<ConversationPayload>
  conversationPayload(
    options: ConversationArbitraryOptions & { readonly form: 'legacy' },
  ): FastCheck.Arbitrary<LegacyConversationPayload>
  conversationPayload(
    options?: ConversationArbitraryOptions,
  ): FastCheck.Arbitrary<ConversationPayload | LegacyConversationPayload>
  /** Any single message in the current documented form. */
  messagePayload(): FastCheck.Arbitrary<MessagePayload>
  /**
   * A valid payload with up to three changes at random places: a value replaced by any JSON value,
   * a key removed, or a key added (`__proto__` among them). Most results are invalid; some stay valid.
   */
  mutatedPayload(): FastCheck.Arbitrary<unknown>
}

type Holder = Record<string | number, unknown>

/**
 * Builds the payload arbitraries with a given fast-check module: for a project that must use its
 * own fast-check instance. `smartsupp-hook/testing/arbitraries` exports them built with fast-check.
 */
export function payloadArbitraries(fc: FastCheckModule): PayloadArbitraries {
  // Timestamps that a Date holds and that look like real ones (2000 … 2100).
  const epochMillis = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 })
  const count = fc.nat({ max: 100_000 })
  const text = fc.string({ unit: 'binary', maxLength: 30 })
  const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
  const alphanumeric = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
  const bareKey = fc.string({ unit: alphanumeric, minLength: 1, maxLength: 20 })
  const agentRef = fc.nat({ max: 1_000_000 }).map((id) => `agent:${id}` as const)

  function messages(legacy: boolean): FastCheck.Arbitrary<MessagePayload> {
    // A pre-2018 visitor key is bare, so it must not read as another sender ("agent:3", "system").
    const visitorRef = (legacy ? bareKey : nonEmpty).map((key) => `visitor:${key}` as const)
    const senderRef = fc.oneof(visitorRef, agentRef, fc.constant('system' as const))
    const message = <T extends MessagePayload['type'], F extends string>(
      type: T,
      from: FastCheck.Arbitrary<F>,
    ) =>
      fc.record(
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
    return fc.oneof(
      message('visitor', visitorRef),
      message('agent', fc.oneof(agentRef, fc.constant('system' as const))),
      message('system', senderRef),
    ) as FastCheck.Arbitrary<MessagePayload>
  }

  const unknownKey = bareKey.map((key) => `x_${key}`)
  const extras = fc.dictionary(unknownKey, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 2 })

  function withUnknownFields(p: ConversationPayload): FastCheck.Arbitrary<ConversationPayload> {
    const variables = Object.values(p.visitor.variables)
    return fc
      .record({
        root: extras,
        channel: extras,
        visitor: extras,
        variables: fc.array(extras, { minLength: variables.length, maxLength: variables.length }),
        paths: fc.array(extras, { minLength: p.paths.length, maxLength: p.paths.length }),
        messages: fc.array(extras, { minLength: p.messages.length, maxLength: p.messages.length }),
      })
      .map((x) => {
        const out = structuredClone(p)
        const outVariables = Object.values(out.visitor.variables)
        Object.assign(out, x.root)
        Object.assign(out.channel, x.channel)
        Object.assign(out.visitor, x.visitor)
        for (const [i, e] of x.variables.entries()) Object.assign(outVariables[i] ?? {}, e)
        for (const [i, e] of x.paths.entries()) Object.assign(out.paths[i] ?? {}, e)
        for (const [i, e] of x.messages.entries()) Object.assign(out.messages[i] ?? {}, e)
        return JSON.parse(JSON.stringify(out)) as ConversationPayload
      })
  }

  function conversationPayload(
    options: ConversationArbitraryOptions = {},
  ): FastCheck.Arbitrary<ConversationPayload | LegacyConversationPayload> {
    const {
      minMessages = 0,
      maxMessages = Math.max(12, minMessages),
      unknownFields = false,
      form = 'current',
    } = options
    if (!Number.isSafeInteger(minMessages) || !Number.isSafeInteger(maxMessages) || minMessages < 0) {
      throw new TypeError('smartsupp-hook/testing: minMessages and maxMessages must be whole numbers >= 0')
    }
    if (minMessages > maxMessages) {
      throw new TypeError(
        `smartsupp-hook/testing: minMessages (${minMessages}) must not exceed maxMessages (${maxMessages})`,
      )
    }
    if (form !== 'current' && form !== 'legacy') {
      throw new TypeError(`smartsupp-hook/testing: form must be 'current' or 'legacy', got ${String(form)}`)
    }
    const base = fc
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
        messages: fc.array(messages(form === 'legacy'), { minLength: minMessages, maxLength: maxMessages }),
      })
      // Through JSON text: exactly what JSON.parse gives a receiver (plain objects, no -0).
      .map((p) => JSON.parse(JSON.stringify(p)) as ConversationPayload)
    const shaped = unknownFields ? base.chain(withUnknownFields) : base
    return form === 'legacy' ? shaped.map(toLegacyForm) : shaped
  }

  function mutatedPayload(): FastCheck.Arbitrary<unknown> {
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

  return {
    conversationPayload: conversationPayload as PayloadArbitraries['conversationPayload'],
    messagePayload: () => messages(false),
    mutatedPayload,
  }
}

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
