import * as t from 'io-ts'
import { annotateLeaf } from '../codec-structure.js'

const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))'
/** What `isoTimestampMillis` reads, as a JSON Schema `pattern` (ECMA-262, as JSON Schema's). */
const ISO_TIMESTAMP_PATTERN = `^[0-9]{4}-${MONTH_DAY}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])$`

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48
  const b = s.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * The instant an ISO 8601 date-time names, in epoch milliseconds, or `NaN` when the value is not
 * one (internal). Accepts `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `Z` or an offset (`+02:00`,
 * `+0200`); rejects dates that do not exist (`2020-02-30`), times without a zone and other forms.
 * Read with char codes, not a regular expression and `Date.parse`: it is on the decoder's hot path.
 */
export function isoTimestampMillis(u: unknown): number {
  if (typeof u !== 'string') return Number.NaN
  // One event repeats its times (`timestamp`, `updated_at`, `last_message_at` …): remember two.
  if (u === lastText) return lastMillis
  if (u === previousText) return previousMillis
  const ms = readIsoTimestamp(u)
  previousText = lastText
  previousMillis = lastMillis
  lastText = u
  lastMillis = ms
  return ms
}

let lastText = ''
let lastMillis = Number.NaN
let previousText = ''
let previousMillis = Number.NaN

function readIsoTimestamp(u: string): number {
  const n = u.length
  if (n < 17 || n > 40 || u.charCodeAt(4) !== 45 || u.charCodeAt(7) !== 45) return Number.NaN
  const c10 = u.charCodeAt(10)
  if ((c10 !== 84 && c10 !== 116) /* T t */ || u.charCodeAt(13) !== 58) return Number.NaN
  const y1 = digits2(u, 0)
  const y2 = digits2(u, 2)
  const month = digits2(u, 5)
  const day = digits2(u, 8)
  const hour = digits2(u, 11)
  const minute = digits2(u, 14)
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return Number.NaN
  if (minute < 0 || minute > 59) return Number.NaN
  const year = y1 * 100 + y2
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return Number.NaN
  let i = 16
  let second = 0
  let ms = 0
  if (u.charCodeAt(i) === 58 /* : */) {
    second = digits2(u, i + 1)
    if (second < 0 || second > 59) return Number.NaN
    i += 3
    if (u.charCodeAt(i) === 46 /* . */) {
      i++
      const start = i
      let scale = 100
      for (; i < n; i++) {
        const d = u.charCodeAt(i) - 48
        if (d < 0 || d > 9) break
        ms += d * scale
        scale /= 10
      }
      if (i === start) return Number.NaN
      ms = Math.floor(ms)
    }
  }
  let offsetMinutes = 0
  const z = u.charCodeAt(i)
  if (z === 90 || z === 122 /* Z z */) {
    if (i + 1 !== n) return Number.NaN
  } else if (z === 43 || z === 45 /* + - */) {
    const oh = digits2(u, i + 1)
    const colon = u.charCodeAt(i + 3) === 58 ? 1 : 0
    const om = digits2(u, i + 3 + colon)
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || i + 5 + colon !== n) return Number.NaN
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om)
  } else {
    return Number.NaN
  }
  // Days since 1970-01-01 by Hinnant's days-from-civil: plain arithmetic, where Date.UTC is a
  // runtime call (and reads years 0 to 99 as 1900 to 1999).
  // Integer division by `| 0`: every operand is >= 0 except `y` of January and February of year 0.
  const y = month <= 2 ? year - 1 : year
  const era = y >= 0 ? (y / 400) | 0 : -1
  const yoe = y - era * 400
  const doy = (((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) | 0) + day - 1
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy
  const days = era * 146_097 + doe - 719_468
  const utc = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
  return utc - offsetMinutes * 60_000
}

/**
 * An instant as an ISO 8601 date-time string with a zone (`Z` or an offset), as the webhooks send
 * `timestamp`, `created_at` and the other `*_at` fields (shared spec: webhooks envelope). The
 * static type stays `string`; the decoder reads it into a `Date`.
 */
export const IsoTimestamp = annotateLeaf(
  new t.Type<string, string, unknown>(
    'IsoTimestamp',
    (u): u is string => !Number.isNaN(isoTimestampMillis(u)),
    (u, c) => (Number.isNaN(isoTimestampMillis(u)) ? t.failure(u, c) : t.success(u as string)),
    t.identity,
  ),
  {
    // The reader's grammar as a pattern; only 29 February of a non-leap year passes the pattern
    // and fails the codec (a regular expression of leap years is not worth its length).
    jsonSchema: { type: 'string', minLength: 17, maxLength: 40, pattern: ISO_TIMESTAMP_PATTERN },
    // Instants that look like real ones (2000 … 2100).
    sample: { kind: 'isoTimestamp', min: 946_684_800_000, max: 4_102_444_800_000 },
  },
)
