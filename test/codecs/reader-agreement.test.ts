// The hand-written fast reader (`decodeConversation`) against the codecs, over inputs derived
// from the codecs: strict decoding accepts exactly what `ConversationPayload` accepts, and lenient
// decoding keeps exactly the values the lenient policy below derives from the codecs. Together
// with the encode round trip, this is the check that a field added to a codec is also in the
// model, the reader and the encoder (docs/architecture.md, "how adding a field works").
import fc from 'fast-check'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { codecNode, documentedKeys, fieldCodec, objectKeys } from '../../src/codecs/codec-structure.js'
import { agentRefId } from '../../src/codecs/sender-ref.js'
import {
  ConversationPayload,
  decodeConversation,
  EpochMillis,
  encodeConversation,
  Integer,
  MessagePayload,
  nullable,
  type PostHookConversation,
  SenderRef,
  VisitorVariablePayload,
} from '../../src/index.js'
import { conversationPayload, mutatedPayload } from '../support/arbitraries.js'

type Obj = Record<string, unknown>
const isObject = (u: unknown): u is Obj => u !== null && typeof u === 'object' && !Array.isArray(u)

/** An input lenient decoding must refuse: an essential field is unusable. */
class Refused extends Error {}

/**
 * The essential fields (docs/decoding.md: Lenient and strict): lenient decoding refuses the body when one
 * fails its codec. Containers (`channel`, `messages`, each message) must be there and the right
 * kind; `messages[].type` need only be a string (an unknown type is read by its sender).
 */
const ESSENTIAL = new Set([
  '',
  'accountId',
  'beginAt',
  'endAt',
  'channel',
  'channel.id',
  'messages',
  'messages[]',
  'messages[].content',
  'messages[].sentAt',
])

const NullableString = nullable(fieldCodec(MessagePayload, 'content') as t.StringC)
const NullableInteger = nullable(Integer)

/** The sender a lenient reader makes of `from`, in the current form; pre-2018 forms mapped. */
function leniently(from: unknown): string | null {
  if (SenderRef.is(from)) return from
  if (typeof from === 'string' && from.length > 0 && !from.includes(':')) return `visitor:${from}`
  if (Integer.is(from) && from >= 0) return `agent:${from}`
  if (typeof from === 'string' && agentRefId(from) !== undefined) return from
  return from === null ? 'system' : null
}

/**
 * The exceptions to "a documented value is kept when its codec accepts it, `null` otherwise",
 * each a rule of the spec: by wire path, how the value is read from its object.
 */
const RULES: Readonly<Record<string, (o: Obj) => unknown>> = {
  // Pre-2018 `groupKey` stands for `group` when `group` is absent (shared spec: older variants).
  'visitor.group': (o) =>
    o.group !== undefined ? keep(NullableString, o.group) : keep(NullableString, o.groupKey),
  // A comment without a rating is not a rating (the model's `rating` is null).
  'channel.ratingDesc': (o) =>
    keep(NullableInteger, o.rating) === null ? null : keep(NullableString, o.ratingDesc),
  'messages[].type': (o) => {
    if (typeof o.type !== 'string') throw new Refused('messages[].type')
    return o.type
  },
  'messages[].from': (o) => leniently(o.from),
}

const keep = (codec: t.Any, v: unknown) => (codec.is(v) ? v : null)
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)

/**
 * What lenient decoding must keep of `value` where `codec` stands, as wire JSON: walked from the
 * codec, with the essential fields and the RULES above as the only hand-written parts.
 */
function lenientView(codec: t.Any, value: unknown, path: string): unknown {
  const node = codecNode(codec)
  const objectLike =
    node.kind === 'object' ||
    (node.kind === 'union' && node.members.every((m) => codecNode(m).kind === 'object'))
  if (objectLike) {
    if (!isObject(value)) {
      if (ESSENTIAL.has(path)) throw new Refused(path)
      return null
    }
    const keys = node.kind === 'object' ? objectKeys(node) : [...documentedKeys(codec)]
    // Optional keys: those of the object, or those optional in every member of the union.
    const members = node.kind === 'object' ? [node] : node.members.map(codecNode)
    const optional = keys.filter((key) =>
      members.every((m) => m.kind === 'object' && Object.hasOwn(m.optional, key)),
    )
    const out: Obj = {}
    for (const key of keys) {
      const child = join(path, key)
      const rule = RULES[child]
      const field = fieldCodec(codec, key) as t.Mixed
      if (rule !== undefined) {
        out[key] = rule(value)
        continue
      }
      if (optional.includes(key) && !field.is(value[key])) continue
      out[key] = lenientView(field, value[key], child)
    }
    return path === 'messages[]' ? messageKind(out) : out
  }
  switch (node.kind) {
    case 'array': {
      if (!Array.isArray(value)) {
        if (ESSENTIAL.has(path)) throw new Refused(path)
        return null
      }
      const items = `${path}[]`
      // An entry that is not an object is skipped, unless the array's entries are essential.
      return value
        .filter((entry) => isObject(entry) || ESSENTIAL.has(items))
        .map((entry) => lenientView(node.item, entry, items))
    }
    case 'record': {
      if (!isObject(value)) return null
      const out: Obj = {}
      for (const key of Object.keys(value)) {
        const entry = value[key]
        // The post-2020 flat form `{ key: value }` reads as `{ label: null, value }`.
        const read = isObject(entry)
          ? (lenientView(node.value, entry, `${path}.*`) as Obj)
          : fieldCodec(node.value, 'value')?.is(entry)
            ? { label: null, value: entry }
            : undefined
        // The encoder writes a variable without a label in the flat form.
        if (read !== undefined) {
          // As JSON.parse does: `__proto__` stays a plain key.
          Object.defineProperty(out, key, {
            value: read.label === null ? read.value : read,
            enumerable: true,
            writable: true,
            configurable: true,
          })
        }
      }
      return out
    }
    default:
      if (ESSENTIAL.has(path) && !codec.is(value)) throw new Refused(path)
      return keep(codec, value)
  }
}

/** A message's `type` and `from` as the model's kind and sender write them back. */
function messageKind(m: Obj): Obj {
  const from = m.from as string | null
  const visitor = from?.startsWith('visitor:') ?? false
  const agent = from?.startsWith('agent:') ?? false
  switch (m.type) {
    case 'visitor':
      return { ...m, from: visitor ? from : null }
    case 'agent':
      return { ...m, from: visitor ? null : from }
    case 'system':
      return m
    default:
      return { ...m, type: visitor ? 'visitor' : agent && m.triggeredBy === null ? 'agent' : 'system' }
  }
}

/** The lenient policy's verdict: refused, or the documented values the model must hold. */
function lenientPolicy(input: unknown): { accepted: false } | { accepted: true; wire: unknown } {
  try {
    return { accepted: true, wire: lenientView(ConversationPayload, input, '') }
  } catch (e) {
    if (e instanceof Refused) return { accepted: false }
    throw e
  }
}

/** The model's documented values as wire JSON, from the model alone (no `raw`). */
const modelView = (c: PostHookConversation) => encodeConversation({ ...c, raw: {} })

/** Derived inputs: valid in each form, with unknown fields, and mutated. */
const inputs = fc.oneof(
  conversationPayload({ maxMessages: 4 }),
  conversationPayload({ maxMessages: 3, unknownFields: true }),
  conversationPayload({ maxMessages: 3, form: 'legacy' }),
  mutatedPayload(),
  mutatedPayload(),
)
const RUNS = Number(process.env.AGREEMENT_RUNS ?? 600)

describe('the fast reader agrees with the codecs', () => {
  it('strict: decodeConversation accepts exactly what ConversationPayload.is and .decode accept', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const strict = decodeConversation(input, { mode: 'strict' })._tag === 'Right'
        expect(strict).toBe(ConversationPayload.is(input))
        expect(strict).toBe(ConversationPayload.decode(input)._tag === 'Right')
      }),
      { numRuns: RUNS },
    )
  })

  it('lenient: accepts and refuses as the lenient policy does, and keeps every value it derives', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const lenient = decodeConversation(input)
        const policy = lenientPolicy(input)
        expect(lenient._tag === 'Right').toBe(policy.accepted)
        if (lenient._tag === 'Right' && policy.accepted)
          expect(modelView(lenient.right)).toStrictEqual(policy.wire)
      }),
      { numRuns: RUNS },
    )
  })

  it('lenient with no warning is exactly strict success', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const lenient = decodeConversation(input)
        const clean = lenient._tag === 'Right' && lenient.right.warningCount === 0
        expect(clean).toBe(decodeConversation(input, { mode: 'strict' })._tag === 'Right')
      }),
      { numRuns: 300 },
    )
  })

  it('every documented field the codecs declare reaches the model and comes back: encode(decode(p)) deep-equals p', () => {
    // A field added to a codec is generated (derived arbitraries) and counted as documented
    // (derived key lists): if the model or the reader lacks it, the encoder, which writes
    // documented keys from the model only, drops it, and this fails.
    fc.assert(
      fc.property(
        fc.oneof(
          conversationPayload({ maxMessages: 4 }),
          conversationPayload({ maxMessages: 3, unknownFields: true }),
        ),
        (p) => {
          const result = decodeConversation(p)
          if (result._tag === 'Left') throw new Error(result.left.message)
          expect(encodeConversation(result.right)).toStrictEqual(p)
          const policy = lenientPolicy(p)
          expect(policy.accepted && modelView(result.right)).toStrictEqual(policy.accepted && policy.wire)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('the leaf codecs the policy leans on are the codecs', () => {
    expect(codecNode(EpochMillis).kind).toBe('leaf')
    expect(fieldCodec(VisitorVariablePayload, 'value')?.is(true)).toBe(true)
  })
})
