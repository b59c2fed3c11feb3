import * as t from 'io-ts'

/** `2020-08-08T07:53:18.825Z`, or with an offset (`+02:00`); fractions of any length. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * The instant an ISO 8601 date-time string names, in epoch milliseconds, or `NaN` when it is not
 * one (wrong format, or a date that does not exist such as `2020-02-30`) (internal).
 */
export function isoTimestampMillis(u: unknown): number {
  if (typeof u !== 'string' || u.length > 40 || !ISO_8601.test(u)) return Number.NaN
  const ms = Date.parse(u)
  if (Number.isNaN(ms)) return ms
  // Date.parse rolls 2020-02-30 over to March: check the calendar date it kept.
  const day = Number(u.slice(8, 10))
  const month = Number(u.slice(5, 7))
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(u.slice(0, 4)), month)) return Number.NaN
  return ms
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * An instant as an ISO 8601 date-time string with a zone (`Z` or an offset), as the webhooks send
 * `timestamp`, `created_at` and the other `*_at` fields (shared spec: webhooks envelope). The
 * static type stays `string`; the decoder reads it into a `Date`.
 */
export const IsoTimestamp = new t.Type<string, string, unknown>(
  'IsoTimestamp',
  (u): u is string => !Number.isNaN(isoTimestampMillis(u)),
  (u, c) => (Number.isNaN(isoTimestampMillis(u)) ? t.failure(u, c) : t.success(u as string)),
  t.identity,
)
