import { appendKey } from './format-path.js'
import type { Report } from './report.js'

/** A JSON object as the readers see it. */
export type Obj = Record<string, unknown>

const hasOwn = Object.prototype.hasOwnProperty

/** A JSON object: not null, not an array (the same test as io-ts's `UnknownRecord`). */
export function isObject(u: unknown): u is Obj {
  return u !== null && typeof u === 'object' && !Array.isArray(u)
}

const OBJECT_PROTOTYPE = Object.prototype

/**
 * The object itself when it can only hold its own fields (a plain object, as `JSON.parse` and
 * body parsers make, or one without a prototype); otherwise a prototype-less copy of its own
 * enumerable fields, so that nothing inherited is read (`Object.create(payload)`, a class
 * instance, an object from another realm). One prototype load per object on the common path.
 */
export function ownFields(o: Obj): Obj {
  const proto = Object.getPrototypeOf(o)
  // Small enough to be inlined at every call site; the copy is a call of its own.
  return proto === OBJECT_PROTOTYPE || proto === null ? o : ownCopy(o)
}

function ownCopy(o: Obj): Obj {
  const copy: Obj = Object.create(null)
  const keys = Object.keys(o)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    copy[key] = o[key]
  }
  return copy
}

export const EXPECTED = {
  object: 'an object',
  array: 'an array',
  integer: 'an integer',
  epochMillis: 'an integer (epoch milliseconds)',
  boolean: 'a boolean',
  string: 'a string',
  nullableString: 'a string or null',
  nullableInteger: 'an integer or null',
  variableValue: 'a string, a number or a boolean',
  variable: 'an object { label, value }',
  variableEntry: 'an object { label, value } or a string, number or boolean',
  messageType: '"visitor", "agent" or "system"',
  sender: '"visitor:<key>", "agent:<id>" or "system"',
  documented: 'only documented fields',
} as const

/** `missing` when the key is absent, `invalid_type` otherwise. */
function codeOf(v: unknown) {
  return v === undefined ? ('missing' as const) : ('invalid_type' as const)
}

/**
 * The readers below take the value of `key` (read by the caller as `o.key`, a named load that
 * stays fast, where `o[key]` in a shared helper would go megamorphic) and return it, or `null`
 * with a deviation at `base.key`.
 */
export function readBoolean(v: unknown, key: string, base: string, r: Report): boolean | null {
  if (typeof v === 'boolean') return v
  r.deviation(() => appendKey(base, key), codeOf(v), EXPECTED.boolean, v)
  return null
}

export function readInteger(v: unknown, key: string, base: string, r: Report): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v
  r.deviation(() => appendKey(base, key), codeOf(v), EXPECTED.integer, v)
  return null
}

export function readNullableInteger(v: unknown, key: string, base: string, r: Report): number | null {
  if (v === null || (typeof v === 'number' && Number.isSafeInteger(v))) return v
  r.deviation(() => appendKey(base, key), codeOf(v), EXPECTED.nullableInteger, v)
  return null
}

export function readString(v: unknown, key: string, base: string, r: Report): string | null {
  if (typeof v === 'string') return v
  r.deviation(() => appendKey(base, key), codeOf(v), EXPECTED.string, v)
  return null
}

export function readNullableString(v: unknown, key: string, base: string, r: Report): string | null {
  if (v === null || typeof v === 'string') return v
  r.deviation(() => appendKey(base, key), codeOf(v), EXPECTED.nullableString, v)
  return null
}

/** Counts enumerable keys without allocating: the fast test for "no unknown field". */
export function countKeys(o: object): number {
  let n = 0
  for (const _ in o) n++
  return n
}

/** The slow path, taken only when `countKeys` says there is more than the known fields. */
export function reportUnknownKeys(o: Obj, known: ReadonlySet<string>, base: string, r: Report): void {
  for (const key in o) {
    if (hasOwn.call(o, key) && !known.has(key)) {
      r.deviation(() => appendKey(base, key), 'unknown_field', EXPECTED.documented, o[key])
    }
  }
}
