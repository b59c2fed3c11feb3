const PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const
/** Offsets change at most once in a 15-minute span of UTC (tz transitions fall on quarter hours). */
const SPAN_MS = 15 * 60_000

/**
 * A formatter for `YYYY-MM-DD HH:mm:ss` wall-clock time in an IANA time zone followed by its UTC
 * offset: `2015-03-27 16:33:59 UTC+01:00`, or `UTC` alone when the offset is zero (internal).
 * Seconds are truncated. Throws a TypeError or RangeError naming `option` for an unusable zone.
 */
export function zonedTimeFormat(timeZone: unknown, option: string): (date: Date) => string {
  if (typeof timeZone !== 'string') {
    throw new TypeError(
      `${option} must be a string naming an IANA time zone, such as 'Europe/Prague' or 'UTC'; got ${describe(timeZone)}`,
    )
  }
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
  } catch {
    throw new RangeError(
      `${option} ${JSON.stringify(timeZone)} is not a time zone this runtime knows; use an IANA name such as 'Europe/Prague', or 'UTC'`,
    )
  }
  // Intl is slow (microseconds a call), so the offset is looked up once per 15-minute span and
  // the wall time is computed from it; a span with a transition inside asks Intl for every time.
  const offsets = new Map<number, number | null>()
  const offsetAt = (ms: number): number => {
    const span = Math.floor(ms / SPAN_MS)
    let offset = offsets.get(span)
    if (offset === undefined) {
      const start = offsetFromIntl(format, span * SPAN_MS)
      offset = start === offsetFromIntl(format, (span + 1) * SPAN_MS - 1000) ? start : null
      offsets.set(span, offset)
    }
    return offset ?? offsetFromIntl(format, ms)
  }
  return (date) => {
    const ms = date.getTime()
    const offsetMinutes = offsetAt(ms)
    const wall = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000)
    return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)} ${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}:${pad(wall.getUTCSeconds(), 2)} ${offsetLabel(offsetMinutes)}`
  }
}

/** The zone's offset from UTC at an instant, in minutes, from the wall time Intl gives for it. */
function offsetFromIntl(format: Intl.DateTimeFormat, ms: number): number {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of format.formatToParts(ms)) {
    if ((PARTS as readonly string[]).includes(part.type)) {
      fields[part.type as (typeof PARTS)[number]] = Number(part.value)
    }
  }
  const wall = new Date(0)
  wall.setUTCFullYear(fields.year, fields.month - 1, fields.day)
  wall.setUTCHours(fields.hour, fields.minute, fields.second)
  return Math.round((wall.getTime() - Math.floor(ms / 1000) * 1000) / 60_000)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC'
  const abs = Math.abs(minutes)
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  return `a value of type ${typeof value}`
}
