import type * as FastCheck from 'fast-check'
import type * as t from 'io-ts'
import { codecNode, documentedPaths, objectKeys } from '../codecs/codec-structure.js'
import { ConversationPayload } from '../codecs/conversation.js'
import { LegacyConversationPayload } from '../codecs/legacy.js'
import { MessagePayload } from '../codecs/message.js'
import { VisitorRef } from '../codecs/sender-ref.js'
import { toLegacyForm } from './legacy-form.js'

/** The codec of the `messages` array, whose length the options bound. */
const MESSAGES = ConversationPayload.required.messages
/** Every documented key name, current and pre-2018 form (`name`, `groupKey`, `email` …). */
const DOCUMENTED_NAMES = [
  ...new Set(
    [...documentedPaths(ConversationPayload), ...documentedPaths(LegacyConversationPayload)].map((path) =>
      path.slice(path.lastIndexOf('.') + 1),
    ),
  ),
]

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
type Arb = FastCheck.Arbitrary<unknown>

/** What the codec walker needs besides the codec: the fast-check module and a few choices (internal). */
export interface ArbitraryContext {
  readonly fc: FastCheckModule
  /** Replaces the walk at these codecs (the `messages` array's bounds, a legacy `VisitorRef`). */
  readonly overrides: ReadonlyMap<t.Any, Arb>
  /** Each object gets one or two keys no codec declares. */
  readonly unknownFields: boolean
  readonly text: FastCheck.Arbitrary<string>
  readonly nonEmpty: FastCheck.Arbitrary<string>
  readonly extras: Arb
}

/**
 * An arbitrary of the values `codec` accepts, walked from its structure (see `codecNode`): each
 * documented field is generated because the codec declares it, so a field added to a codec is
 * generated without a change here. Custom leaf codecs say how they are generated with `annotateLeaf`.
 */
export function arbitraryOf(codec: t.Any, ctx: ArbitraryContext): Arb {
  const override = ctx.overrides.get(codec)
  if (override !== undefined) return override
  const { fc } = ctx
  const node = codecNode(codec)
  switch (node.kind) {
    case 'object': {
      const props: Record<string, Arb> = {}
      for (const key of objectKeys(node)) {
        props[key] = arbitraryOf((node.required[key] ?? node.optional[key]) as t.Mixed, ctx)
      }
      const record = fc.record(props, { requiredKeys: Object.keys(node.required) })
      if (!ctx.unknownFields) return record
      return fc.tuple(record, ctx.extras).map(([r, x]) => Object.assign(r, x))
    }
    case 'union':
      return fc.oneof(...node.members.map((m) => arbitraryOf(m, ctx)))
    case 'literal':
      return fc.constantFrom(...node.values)
    case 'array':
      return fc.array(arbitraryOf(node.item, ctx), { maxLength: 4 })
    case 'record':
      return fc.dictionary(ctx.text, arbitraryOf(node.value, ctx), { maxKeys: 4 })
    case 'string':
      return ctx.text
    case 'number':
      // What JSON can carry: no NaN, no infinities.
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
    case 'boolean':
      return fc.boolean()
    case 'unknown':
      return fc.jsonValue({ maxDepth: 2 })
    case 'leaf': {
      const sample = node.annotation.sample
      if (sample.kind === 'integer') return fc.integer({ min: sample.min, max: sample.max })
      if (sample.kind === 'isoTimestamp') {
        return fc.integer({ min: sample.min, max: sample.max }).map((ms) => new Date(ms).toISOString())
      }
      const rest = sample.rest === 'text' ? ctx.nonEmpty : fc.maxSafeNat().map(String)
      return rest.map((r) => `${sample.prefix}${r}`)
    }
  }
}

/** The walker's contexts over one fast-check module, and the bare keys they use (internal). */
export function arbitraryContexts(fc: FastCheckModule): {
  readonly context: (overrides: [t.Any, Arb][], unknownFields?: boolean) => ArbitraryContext
  readonly bareKey: FastCheck.Arbitrary<string>
} {
  const text = fc.string({ unit: 'binary', maxLength: 30 })
  const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
  const alphanumeric = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
  const bareKey = fc.string({ unit: alphanumeric, minLength: 1, maxLength: 20 })
  const unknownKey = bareKey.map((key) => `x_${key}`)
  const extras = fc.dictionary(unknownKey, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 2 })
  const context = (overrides: [t.Any, Arb][], unknownFields = false): ArbitraryContext => ({
    fc,
    overrides: new Map(overrides),
    unknownFields,
    text,
    nonEmpty,
    extras,
  })
  return { context, bareKey }
}

/**
 * Up to three changes at random places of a valid JSON value (internal): a value replaced by any
 * JSON value, a key removed, or a key added (`keys`, plus `extra`, `__proto__`, `constructor`).
 */
export function mutationsOf(
  fc: FastCheckModule,
  valid: FastCheck.Arbitrary<unknown>,
  keys: readonly string[],
): FastCheck.Arbitrary<unknown> {
  const change = fc.record({
    kind: fc.constantFrom('replace', 'remove', 'add'),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 3 }),
    // Keys no codec declares, and every documented key, on any object.
    key: fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor'), fc.constantFrom(...keys)),
  })
  return fc.tuple(valid, fc.array(change, { minLength: 1, maxLength: 3 })).map(([payload, changes]) => {
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

/**
 * Builds the payload arbitraries with a given fast-check module: for a project that must use its
 * own fast-check instance. `smartsupp-hook/testing/arbitraries` exports them built with fast-check.
 */
export function payloadArbitraries(fc: FastCheckModule): PayloadArbitraries {
  const { context, bareKey } = arbitraryContexts(fc)
  // A pre-2018 visitor key is bare, so it must not read as another sender ("agent:3", "system").
  const legacyVisitorRef: [t.Any, Arb] = [VisitorRef, bareKey.map((key) => `visitor:${key}`)]

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
    const legacy = form === 'legacy'
    const messageContext = context(legacy ? [legacyVisitorRef] : [], unknownFields)
    const messages = fc.array(arbitraryOf(MessagePayload, messageContext), {
      minLength: minMessages,
      maxLength: maxMessages,
    })
    const ctx = context([...(legacy ? [legacyVisitorRef] : []), [MESSAGES, messages]], unknownFields)
    const base = arbitraryOf(ConversationPayload, ctx)
      // Through JSON text: exactly what JSON.parse gives a receiver (plain objects, no -0).
      .map((p) => JSON.parse(JSON.stringify(p)) as ConversationPayload)
    return legacy ? base.map(toLegacyForm) : base
  }

  function mutatedPayload(): FastCheck.Arbitrary<unknown> {
    return mutationsOf(fc, conversationPayload({ maxMessages: 4 }), DOCUMENTED_NAMES)
  }

  return {
    conversationPayload: conversationPayload as PayloadArbitraries['conversationPayload'],
    messagePayload: () => arbitraryOf(MessagePayload, context([])) as FastCheck.Arbitrary<MessagePayload>,
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
