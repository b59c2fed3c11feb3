import * as t from 'io-ts'
import { annotateLeaf, registerClosedObject } from './codec-structure.js'

/** The latest and earliest instants a JavaScript `Date` can hold, in epoch milliseconds. */
const MAX_EPOCH_MS = 8.64e15

/** A JSON number that is a safe integer. Unbranded, so its static type is a plain `number`. */
export const Integer = annotateLeaf(
  new t.Type<number, number, unknown>(
    'Integer',
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
    (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  {
    jsonSchema: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
    // 32-bit, so that generated payloads leave room for arithmetic (`id + 1`) in users' tests.
    sample: { kind: 'integer', min: -(2 ** 31), max: 2 ** 31 - 1 },
  },
)

/** An instant as integer epoch milliseconds that a `Date` can represent (shared spec: timestamps). */
export const EpochMillis = annotateLeaf(
  new t.Type<number, number, unknown>(
    'EpochMillis',
    (u): u is number => isEpochMillis(u),
    (u, c) => (isEpochMillis(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  {
    jsonSchema: { type: 'integer', minimum: -MAX_EPOCH_MS, maximum: MAX_EPOCH_MS },
    // Instants that look like real ones (2000 … 2100); the codec takes any a Date holds.
    sample: { kind: 'integer', min: 946_684_800_000, max: 4_102_444_800_000 },
  },
)

export function isEpochMillis(u: unknown): u is number {
  return typeof u === 'number' && Number.isSafeInteger(u) && u <= MAX_EPOCH_MS && u >= -MAX_EPOCH_MS
}

/** `A | null`, named the way it reads in errors: `string | null`. */
export function nullable<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC]> {
  return t.union([codec, t.null], `${codec.name} | null`)
}

/** The static type of a closed object codec: required props plus optional ones. */
export type ClosedType<R extends t.Props, O extends t.Props> = t.TypeOfProps<R> & t.TypeOfPartialProps<O>
/** The wire (output) type of a closed object codec: required props plus optional ones. */
export type ClosedOutput<R extends t.Props, O extends t.Props> = t.OutputOfProps<R> &
  t.OutputOfPartialProps<O>

/**
 * An object codec that, unlike `t.type`, rejects keys it does not declare: the strict contract
 * of the documented payload. `required` and `optional` stay readable for composition. `A` lets
 * a codec name its static type (`VisitorPayloadC` decodes to the interface `VisitorPayload`),
 * so editor hovers and errors show the name, not the structure.
 */
export interface ClosedObjectC<R extends t.Props, O extends t.Props, A = ClosedType<R, O>>
  extends t.Type<A, ClosedOutput<R, O>, unknown> {
  readonly required: R
  readonly optional: O
  readonly keys: ReadonlySet<string>
}

const hasOwn = Object.prototype.hasOwnProperty

export function closedObject<R extends t.Props, O extends t.Props = Record<never, never>>(
  name: string,
  required: R,
  optional: O = {} as O,
): ClosedObjectC<R, O> {
  const inner = t.intersection([t.type(required), t.partial(optional)], name) as unknown as t.Type<
    ClosedType<R, O>,
    ClosedOutput<R, O>,
    unknown
  >
  const keys = new Set([...Object.keys(required), ...Object.keys(optional)])
  const extraKeys = (u: object): string[] => {
    const extra: string[] = []
    for (const k in u) if (hasOwn.call(u, k) && !keys.has(k)) extra.push(k)
    return extra
  }
  const is = (u: unknown): u is ClosedType<R, O> => inner.is(u) && extraKeys(u as object).length === 0
  const codec = new t.Type<ClosedType<R, O>, ClosedOutput<R, O>, unknown>(
    name,
    is,
    (u, c) => {
      const result = inner.validate(u, c)
      if (u === null || typeof u !== 'object' || Array.isArray(u)) return result
      const extra = extraKeys(u)
      if (extra.length === 0) return result
      const errors: t.Errors = extra.map((k) => ({
        value: (u as Record<string, unknown>)[k],
        context: t.appendContext(c, k, t.never, (u as Record<string, unknown>)[k]),
        message: `unknown field "${k}"`,
      }))
      return result._tag === 'Left' ? t.failures([...result.left, ...errors]) : t.failures(errors)
    },
    (a) => inner.encode(a),
  )
  return registerClosedObject(Object.assign(codec, { required, optional, keys }), required, optional)
}
