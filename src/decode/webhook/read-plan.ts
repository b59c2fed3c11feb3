import * as t from 'io-ts'
import { Integer } from '../../codecs/primitives.js'
import { IsoTimestamp } from '../../codecs/webhook/iso-timestamp.js'
import { WebhookMessageContent } from '../../codecs/webhook/message.js'
import { WebhookId } from '../../codecs/webhook/webhook-id.js'
import type { Report } from '../report.js'

/** How a field is read; one kind per codec the webhook codecs use. */
export type FieldKind =
  | 'string'
  | 'id'
  | 'boolean'
  | 'integer'
  | 'date'
  | 'array'
  | 'record'
  | 'idArray'
  | 'object'
  | 'content'
  | 'literal'
  | 'unknown'

/** One field of a plan: the wire key, the model key, and how to read it, all taken from the codec. */
export interface Field {
  readonly wire: string
  readonly name: string
  readonly kind: FieldKind
  readonly nullable: boolean
  readonly required: boolean
  /** What the spec documents there, for issue messages: `a string or null`. */
  readonly expected: string
  /** The nested object's plan (kind `object`). */
  readonly plan: Plan | undefined
  /** The one accepted value (kind `literal`). */
  readonly literal: unknown
  /** The field's codec, as declared (with its `| null`). */
  readonly codec: t.Mixed
}

/** How to read one closed object codec: its fields in codec order (required first) and its keys. */
export interface Plan {
  readonly name: string
  readonly fields: readonly Field[]
  readonly known: ReadonlySet<string>
  /** Wire keys the generic loop counts but leaves to `finish` (fields the model combines). */
  skip: ReadonlySet<string>
  /** Adds the combined fields (e.g. `rating` from `rating` and `rating_text`) after the loop. */
  finish: Finisher | undefined
  /** The model keys `finish` sets, after the fields' own. */
  adds: readonly string[]
}

/** Reads a plan's combined fields from `o` into `out`; `base` is the object's path. */
export type Finisher = (
  o: Record<string, unknown>,
  out: Record<string, unknown>,
  base: string,
  r: Report,
) => void

/** The object codecs the plans are built from: `closedObject`s (their `required`/`optional` props). */
export interface ObjectCodec {
  readonly name: string
  readonly required: t.Props
  readonly optional: t.Props
  readonly keys: ReadonlySet<string>
}

/** Wire keys whose model name is not their plain camelCase: units and meaning in the name. */
const MODEL_NAMES: Readonly<Record<string, string>> = {
  response_time: 'responseTimeSeconds',
  assigned: 'assignedAgentId',
}

/** `created_at` → `createdAt`, unless `MODEL_NAMES` says otherwise. */
export function modelName(wire: string): string {
  return MODEL_NAMES[wire] ?? wire.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

const EXPECTED: Record<FieldKind, string> = {
  string: 'a string',
  id: 'an id (a string)',
  boolean: 'a boolean',
  integer: 'an integer',
  date: 'an ISO 8601 time (e.g. 2020-08-08T07:53:18.825Z)',
  array: 'an array',
  record: 'an object',
  idArray: 'an array of ids (strings)',
  object: 'an object',
  content: 'a string or an object',
  literal: '',
  unknown: 'any value',
}

function isObjectCodec(c: t.Mixed): c is t.Mixed & ObjectCodec {
  const o = c as unknown as Partial<ObjectCodec>
  return typeof o.required === 'object' && typeof o.optional === 'object' && o.keys instanceof Set
}

const plans = new Map<unknown, Plan>()

/**
 * The reading plan of a closed object codec, built once and cached. A codec of a kind this
 * reader does not know throws here, at module load, so a new kind of field cannot go unread.
 */
export function planOf(codec: ObjectCodec): Plan {
  const cached = plans.get(codec)
  if (cached !== undefined) return cached
  const fields: Field[] = []
  for (const [props, required] of [
    [codec.required, true],
    [codec.optional, false],
  ] as const) {
    for (const wire of Object.keys(props)) fields.push(fieldOf(wire, props[wire] as t.Mixed, required))
  }
  const plan: Plan = {
    name: codec.name,
    fields,
    known: codec.keys,
    skip: new Set(),
    finish: undefined,
    adds: [],
  }
  plans.set(codec, plan)
  return plan
}

function fieldOf(wire: string, codec: t.Mixed, required: boolean): Field {
  let inner = codec
  let nullable = false
  if (codec instanceof t.UnionType && codec.types.length === 2 && codec.types[1] === t.null) {
    inner = codec.types[0] as t.Mixed
    nullable = true
  }
  let kind: FieldKind
  let plan: Plan | undefined
  let literal: unknown
  if (inner === t.string) kind = 'string'
  else if (inner === WebhookId) kind = 'id'
  else if (inner === t.boolean) kind = 'boolean'
  else if (inner === Integer) kind = 'integer'
  else if (inner === IsoTimestamp) kind = 'date'
  else if (inner === t.UnknownArray) kind = 'array'
  else if (inner === t.UnknownRecord) kind = 'record'
  else if (inner === t.unknown) kind = 'unknown'
  else if (inner === WebhookMessageContent) kind = 'content'
  else if (inner instanceof t.ArrayType && inner.type === WebhookId) kind = 'idArray'
  else if (inner instanceof t.LiteralType) {
    kind = 'literal'
    literal = inner.value
  } else if (isObjectCodec(inner)) {
    kind = 'object'
    plan = planOf(inner)
  } else {
    throw new Error(`smartsupp-hook: no webhook reader for the codec ${codec.name} of "${wire}"`)
  }
  const base = kind === 'literal' ? JSON.stringify(literal) : EXPECTED[kind]
  return {
    wire,
    name: modelName(wire),
    kind,
    nullable,
    required,
    expected: nullable ? `${base} or null` : base,
    plan,
    literal,
    codec,
  }
}

/** The field of `plan` with this wire key (for the few fields a plan's finisher reads itself). */
export function fieldNamed(plan: Plan, wire: string): Field {
  const field = plan.fields.find((f) => f.wire === wire)
  if (field === undefined) throw new Error(`smartsupp-hook: ${plan.name} has no field "${wire}"`)
  return field
}

/** Gives a plan its finisher and the wire keys the finisher reads (once, at module load). */
export function finishWith(
  plan: Plan,
  skip: readonly string[],
  adds: readonly string[],
  finish: Finisher,
): void {
  for (const wire of skip) fieldNamed(plan, wire)
  plan.skip = new Set(skip)
  plan.finish = finish
  plan.adds = adds
}
