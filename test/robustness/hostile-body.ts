import fc from 'fast-check'
import { conversationPayload } from '../support/arbitraries.js'

type Holder = Record<string | number, unknown>

/** Raw JSON text that `JSON.stringify` cannot write, spliced in through a marker string. */
const TOKENS = [
  '1e309', // JSON.parse reads it as Infinity
  '-1e309',
  '-0',
  '9007199254740993', // beyond 2^53: read as 9007199254740992, not a safe integer
  '-9007199254740993',
  '1e21',
  '123456789012345678901234567890',
  '0.5',
  '"\\ud800"', // lone surrogates
  '"\\udc00tail"',
  '"visitor:\\ud83d"',
  '"agent:\\udfff"',
  '"\\u0000"',
] as const

/** Invalid UTF-8 sequences put inside a string value of the body's bytes. */
const BAD_BYTES: readonly (readonly number[])[] = [
  [0xff],
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xe2, 0x82], // truncated
  [0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
]

/** One change to a valid payload, at a place picked by index among all places of the tree. */
export type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'retype'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'add'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'swap'; readonly at: number }
  | { readonly kind: 'token'; readonly at: number; readonly token: string }
  | { readonly kind: 'huge'; readonly at: number; readonly length: number }
  | { readonly kind: 'deep'; readonly at: number; readonly depth: number; readonly arrays: boolean }
  | { readonly kind: 'bytes'; readonly at: number; readonly bytes: readonly number[] }

/** A body to decode: its text, its bytes, and what `JSON.parse` makes of it (`undefined`: not JSON). */
export interface HostileBody {
  readonly text: string
  readonly bytes: Uint8Array
  readonly mutations: readonly Mutation[]
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra', 'from']

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({
    kind: fc.constant('huge' as const),
    at: fc.nat(),
    length: fc.constantFrom(100_000, 1_000_000),
  }),
  fc.record({
    kind: fc.constant('deep' as const),
    at: fc.nat(),
    depth: fc.constantFrom(10_000),
    arrays: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.constantFrom(...BAD_BYTES) }),
)

/** Every place in a JSON tree that can be changed: its holder and key (iterative: trees may be deep). */
function places(root: unknown): [Holder, string | number][] {
  const out: [Holder, string | number][] = []
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key
      out.push([node as Holder, k])
      stack.push((node as Holder)[k])
    }
  }
  return out
}

/** Objects among the places, for adding keys. */
function objectsOf(root: unknown): Holder[] {
  const out: Holder[] = []
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    if (!Array.isArray(node)) out.push(node as Holder)
    for (const v of Object.values(node)) stack.push(v)
  }
  return out
}

const marker = (n: number) => `\u0001MARK${n}\u0001`
const markerInJson = (n: number) => `"\\u0001MARK${n}\\u0001"`

function define(holder: Holder, key: string | number, value: unknown): void {
  // defineProperty, so that `__proto__` becomes an own key as JSON.parse would make it.
  Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Applies mutations to a copy of a valid payload and writes the body, text and bytes. */
export function applyMutations(payload: unknown, mutations: readonly Mutation[]): HostileBody {
  const root = structuredClone(payload)
  const splices = new Map<string, string>()
  const byteSplices = new Map<string, readonly number[]>()
  mutations.forEach((m, n) => {
    const all = places(root)
    if (all.length === 0) return
    const [holder, key] = all[m.at % all.length] as [Holder, string | number]
    switch (m.kind) {
      case 'drop':
        if (Array.isArray(holder)) holder.splice(key as number, 1)
        else delete holder[key]
        return
      case 'retype':
        holder[key] = m.value
        return
      case 'add': {
        const objects = objectsOf(root)
        const target = objects[m.at % objects.length]
        if (target !== undefined) define(target, m.key, m.value)
        return
      }
      case 'swap': {
        const v = holder[key]
        if (Array.isArray(v)) holder[key] = Object.fromEntries(v.map((x, i) => [String(i), x]))
        else if (v !== null && typeof v === 'object') holder[key] = Object.values(v)
        else holder[key] = [v]
        return
      }
      case 'token':
        holder[key] = marker(n)
        splices.set(markerInJson(n), m.token)
        return
      case 'huge': {
        const v = holder[key]
        holder[key] = typeof v === 'string' ? v + 'x'.repeat(m.length) : 'y'.repeat(m.length)
        return
      }
      case 'deep': {
        const objects = objectsOf(root)
        const target = objects[m.at % objects.length]
        if (target === undefined) return
        define(target, `deep${n}`, marker(n))
        const [open, close] = m.arrays ? ['[', ']'] : ['{"a":', '}']
        splices.set(markerInJson(n), `${open.repeat(m.depth)}0${close.repeat(m.depth)}`)
        return
      }
      case 'bytes': {
        const v = holder[key]
        holder[key] = `${typeof v === 'string' ? v : 'agent:1'}${marker(n)}`
        byteSplices.set(`\\u0001MARK${n}\\u0001`, m.bytes)
        return
      }
    }
  })
  let text = JSON.stringify(root)
  for (const [from, to] of splices) text = text.split(from).join(to)
  let bytes: Uint8Array = Buffer.from(text, 'utf8')
  for (const [from, insert] of byteSplices) {
    const needle = Buffer.from(from, 'utf8')
    const at = Buffer.from(bytes).indexOf(needle)
    if (at < 0) continue
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(insert), bytes.subarray(at + needle.length)])
    text = text.split(from).join('\ufffd')
  }
  return { text, bytes, mutations }
}

/** A valid payload with one to three hostile changes; some stay valid. */
export function hostileBody(): fc.Arbitrary<HostileBody> {
  return fc
    .tuple(conversationPayload({ maxMessages: 4 }), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([payload, mutations]) => applyMutations(payload, mutations))
}
