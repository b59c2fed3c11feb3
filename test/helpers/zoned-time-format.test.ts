import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { zonedTimeFormat } from '../../src/helpers/zoned-time-format.js'

const ZONES = [
  'UTC',
  'Europe/Prague',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
]

/** The same text straight from Intl, with its own `longOffset` zone name, for every instant. */
function reference(timeZone: string, ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  )
  const offset =
    parts.timeZoneName === 'GMT' || parts.timeZoneName === 'GMT+00:00'
      ? 'UTC'
      : String(parts.timeZoneName).replace('GMT', 'UTC')
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`
}

// The internal time format of transcripts, which looks offsets up once per 15-minute span.
describe('zonedTimeFormat', () => {
  it('agrees with Intl at every instant, around daylight-saving transitions too', () => {
    const transition = Date.UTC(2024, 2, 31, 1, 0, 0) // Europe: clocks go forward
    const instants = fc.oneof(
      fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
      fc.integer({ min: transition - 3_600_000, max: transition + 3_600_000 }),
      fc.integer({ min: Date.UTC(2024, 9, 6, 14, 0), max: Date.UTC(2024, 9, 6, 16, 0) }), // Lord Howe +30 min
    )
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(instants, { minLength: 1, maxLength: 20 }),
        (zone, times) => {
          // One formatter for many instants, as in a transcript, so its cache is exercised.
          const format = zonedTimeFormat(zone, 'timeZone')
          for (const ms of times) expect(format(new Date(ms))).toBe(reference(zone, ms))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('writes a few known instants', () => {
    const format = zonedTimeFormat('Asia/Kathmandu', 'timeZone')
    expect(format(new Date(Date.UTC(2024, 0, 1, 0, 0, 0)))).toBe('2024-01-01 05:45:00 UTC+05:45')
    expect(zonedTimeFormat('America/St_Johns', 'timeZone')(new Date(Date.UTC(2024, 0, 1)))).toBe(
      '2023-12-31 20:30:00 UTC-03:30',
    )
  })
})
