import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import { VisitorPayload } from '../codecs/visitor.js'
import type { Visitor, VisitorVariable } from '../model/conversation.js'
import { appendKey } from './format-path.js'
import {
  countKeys,
  EXPECTED,
  isObject,
  type Obj,
  ownFields,
  readInteger,
  readNullableString,
  readString,
  reportUnknownKeys,
} from './read-fields.js'
import type { Report } from './report.js'

const BASE = 'visitor'
const VARIABLES = 'visitor.variables'
const KNOWN = VisitorPayload.keys
/** `groupKey` is the pre-2018 name of `group`: known, so never "unknown", but reported as legacy. */
const KNOWN_WITH_LEGACY = DOCUMENTED_KEYS.visitor
const VARIABLE_KNOWN = DOCUMENTED_KEYS.variable

/** Reads `visitor`; `null` (with a deviation) when it is missing or not an object. */
export function readVisitor(value: unknown, r: Report): Visitor | null {
  if (!isObject(value)) {
    r.deviation(BASE, value === undefined ? 'missing' : 'invalid_type', EXPECTED.object, value)
    return null
  }
  const u = r.plainJson ? value : ownFields(value)
  const seen = r.seen
  let group: string | null
  let keys = KNOWN.size
  if (u.groupKey !== undefined) {
    keys++
    const legacy = u.groupKey
    r.deviation(
      'visitor.groupKey',
      'legacy_form',
      'visitor.group',
      legacy,
      u.group === undefined ? 'read as visitor.group' : 'visitor.group is present and wins',
    )
    if (u.group === undefined) {
      keys--
      group = legacy === null || typeof legacy === 'string' ? legacy : null
    } else {
      group = readNullableString(u.group, 'group', BASE, r)
    }
  } else {
    group = readNullableString(u.group, 'group', BASE, r)
  }
  const visitor: Visitor = {
    id: readIntegerId(u.id, r),
    name: readNullableString(u.name, 'name', BASE, r),
    email: readNullableString(u.email, 'email', BASE, r),
    note: readNullableString(u.note, 'note', BASE, r),
    group,
    ipAddress: readString(u.ipAddress, 'ipAddress', BASE, r),
    city: readString(u.city, 'city', BASE, r),
    countryCode: readString(u.countryCode, 'countryCode', BASE, r),
    country: readString(u.country, 'country', BASE, r),
    userAgent: readString(u.userAgent, 'userAgent', BASE, r),
    platform: readString(u.platform, 'platform', BASE, r),
    referer: readString(u.referer, 'referer', BASE, r),
    variables: readVariables(u.variables, r),
  }
  if (countKeys(u) !== keys || r.seen !== seen) reportUnknownKeys(u, KNOWN_WITH_LEGACY, BASE, r)
  return visitor
}

/** `visitor.id`, an integer, in decimal as the model holds it; `null` with a deviation otherwise. */
function readIntegerId(v: unknown, r: Report): string | null {
  const id = readInteger(v, 'id', BASE, r)
  return id === null ? null : String(id)
}

/**
 * Reads `visitor.variables` into an object without a prototype, so `__proto__` is just a key.
 * The spec documents `{ label, value }` entries (../shared/spec: visitor.variables); a flat
 * entry (`"User_ID": "1234"`, the widget's form since 2020, newer than the spec) is read as
 * `{ label: null, value }` with a `newer_form` deviation; any other non-object entry is skipped.
 */
function readVariables(u: unknown, r: Report): Readonly<Record<string, VisitorVariable>> | null {
  if (!isObject(u)) {
    r.deviation(VARIABLES, u === undefined ? 'missing' : 'invalid_type', EXPECTED.object, u)
    return null
  }
  const own = r.plainJson ? u : ownFields(u)
  const variables: Record<string, VisitorVariable> = Object.create(null)
  // Object.keys lists own enumerable keys only: no per-key hasOwn as a for-in would need.
  const keys = Object.keys(own)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const entry = own[key]
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      variables[key] = readVariable(r.plainJson ? (entry as Obj) : ownFields(entry as Obj), key, r)
    } else if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') {
      r.deviation(
        () => appendKey(VARIABLES, key),
        'newer_form',
        EXPECTED.variable,
        entry,
        'read as { label: null, value }',
      )
      variables[key] = { label: null, value: entry }
    } else {
      r.deviation(
        () => appendKey(VARIABLES, key),
        'invalid_type',
        EXPECTED.variableEntry,
        entry,
        'entry skipped',
      )
    }
  }
  return variables
}

function readVariable(o: Obj, key: string, r: Report): VisitorVariable {
  const label = o.label
  const value = o.value
  const labelOk = typeof label === 'string'
  const valueOk = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  // The common case builds no path and calls nothing but the key count.
  if (labelOk && valueOk && countKeys(o) === 2) return { label, value }
  const seen = r.seen
  if (!valueOk) {
    r.deviation(
      () => appendKey(appendKey(VARIABLES, key), 'value'),
      value === undefined ? 'missing' : 'invalid_type',
      EXPECTED.variableValue,
      value,
    )
  }
  if (!labelOk) {
    r.deviation(
      () => appendKey(appendKey(VARIABLES, key), 'label'),
      label === undefined ? 'missing' : 'invalid_type',
      EXPECTED.string,
      label,
    )
  }
  if (countKeys(o) !== 2 || r.seen !== seen)
    reportUnknownKeys(o, VARIABLE_KNOWN, appendKey(VARIABLES, key), r)
  return { label: labelOk ? label : null, value: valueOk ? value : null }
}
