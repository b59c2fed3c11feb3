import { isoTimestampMillis } from '../../codecs/webhook/iso-timestamp.js'
import { appendIndex, appendKey } from '../format-path.js'
import { countKeys, isObject, type Obj, reportUnknownKeys } from '../read-fields.js'
import type { Report } from '../report.js'
import type { Field, Plan } from './read-plan.js'

const hasOwn = Object.prototype.hasOwnProperty

/** `o[key]` if it is `o`'s own property, else `undefined`: an inherited value is never read as data. */
export function own(o: Obj, key: string): unknown {
  const v = o[key]
  return v === undefined || hasOwn.call(o, key) ? v : undefined
}

let prototypeClean = true

/**
 * Notes, once per decode, whether `Object.prototype` has anything enumerable on it (a polluted
 * prototype). The event reader calls it before any `fastPath` check of that decode.
 */
export function checkPrototype(): void {
  prototypeClean = true
  for (const _ in Object.prototype) prototypeClean = false
}

/**
 * Whether the fast readers may read `o` with plain property loads: a JSON object of this realm
 * and nothing enumerable added to `Object.prototype`, so every value found is `o`'s own. Anything
 * else (another prototype, a polluted prototype) goes through `readObject`, which checks each key.
 */
export function fastPath(o: Obj): boolean {
  return prototypeClean && Object.getPrototypeOf(o) === Object.prototype
}

/** A date field: the common case inline, everything else through `readValue`. */
export function readDate(v: unknown, f: Field, base: string, r: Report): unknown {
  if (v === null && f.nullable) return null
  const ms = isoTimestampMillis(v)
  return !Number.isNaN(ms) ? new Date(ms) : readValue(v, f, base, r)
}

/**
 * Reads a JSON object by its codec's plan into a model object with camelCase keys, in one pass
 * and plain `if`s. Every deviation is `null` plus a deviation (a warning in lenient mode, an
 * error in strict mode); absent optional fields are `null` without one. Unknown keys are
 * reported and stay in `raw`.
 */
export function readObject(o: Obj, plan: Plan, base: string, r: Report): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const fields = plan.fields
  const skip = plan.skip
  let present = 0
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as Field
    const v = own(o, f.wire)
    if (v !== undefined) present++
    if (skip.size !== 0 && skip.has(f.wire)) continue
    out[f.name] = readValue(v, f, base, r)
  }
  for (let i = 0; i < plan.adds.length; i++) out[plan.adds[i] as string] = null
  if (plan.finish !== undefined) plan.finish(o, out, base, r)
  if (countKeys(o) !== present) reportUnknownKeys(o, plan.known, base, r)
  return out
}

/** One field's value in the model, or `null` (with a deviation when it deviates from the codec). */
export function readValue(v: unknown, f: Field, base: string, r: Report): unknown {
  if (v === undefined) {
    if (f.required) r.deviation(() => appendKey(base, f.wire), 'missing', f.expected, v)
    return null
  }
  if (v === null) {
    // `t.unknown` takes null as any other JSON value (`content.data: null`).
    if (!f.nullable && f.kind !== 'unknown')
      r.deviation(() => appendKey(base, f.wire), 'invalid_type', f.expected, v)
    return null
  }
  switch (f.kind) {
    case 'string':
    case 'content':
      if (typeof v === 'string') return v
      break
    case 'id':
      if (typeof v === 'string') return v
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        // The legacy hook sent ids as numbers; the number is kept, as text.
        r.deviation(() => appendKey(base, f.wire), 'invalid_type', f.expected, v, 'read as a string')
        return String(v)
      }
      break
    case 'boolean':
      if (typeof v === 'boolean') return v
      break
    case 'integer':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v
      break
    case 'date': {
      const ms = isoTimestampMillis(v)
      if (!Number.isNaN(ms)) return new Date(ms)
      break
    }
    case 'array':
      if (Array.isArray(v)) return v
      break
    case 'record':
      if (isObject(v)) return v
      break
    case 'idArray':
      if (Array.isArray(v)) return readIds(v, appendKey(base, f.wire), r)
      break
    case 'object':
      if (isObject(v)) return readObject(v, f.plan as Plan, appendKey(base, f.wire), r)
      break
    case 'literal':
      if (v === f.literal) return v
      break
    case 'unknown':
      return v
  }
  r.deviation(() => appendKey(base, f.wire), 'invalid_type', f.expected, v)
  return null
}

/** An array of ids; an entry that is not a string is skipped with a deviation (it stays in `raw`). */
function readIds(list: readonly unknown[], path: string, r: Report): readonly string[] {
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') return readIdsSlowly(list, path, r)
  }
  return list as readonly string[]
}

function readIdsSlowly(list: readonly unknown[], path: string, r: Report): readonly string[] {
  const ids: string[] = []
  for (let i = 0; i < list.length; i++) {
    const id = list[i]
    if (typeof id === 'string') ids.push(id)
    else r.deviation(() => appendIndex(path, i), 'invalid_type', 'an id (a string)', id, 'entry skipped')
  }
  return ids
}
