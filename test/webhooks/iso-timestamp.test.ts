import fc from 'fast-check'
import { isRight } from 'fp-ts/lib/Either.js'
import { IsoTimestamp } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { isoTimestampMillis } from '../../src/codecs/webhook/iso-timestamp.js'

describe('IsoTimestamp', () => {
  it('reads every toISOString() back to its instant, years 0 to 9999', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(isoTimestampMillis(d.toISOString())).toBe(d.getTime())
        },
      ),
      { numRuns: 2000 },
    )
  })

  it.each([
    ['2020-08-08T07:53:18.825Z', 1596873198825],
    ['2020-08-08T07:53:18Z', 1596873198000],
    ['2020-08-08T07:53Z', 1596873180000],
    ['2020-08-08T09:53:18.825+02:00', 1596873198825],
    ['2020-08-08T09:53:18.825+0200', 1596873198825],
    ['2020-08-08T02:53:18.825999-05:00', 1596873198825],
    ['2020-02-29T00:00:00Z', 1582934400000],
  ])('%s is %d', (text, ms) => {
    expect(isoTimestampMillis(text)).toBe(ms)
    expect(isRight(IsoTimestamp.decode(text))).toBe(true)
  })

  it.each([
    '2019-02-29T00:00:00Z',
    '2020-04-31T00:00:00Z',
    '2020-13-01T00:00:00Z',
    '2020-08-08T24:00:00Z',
    '2020-08-08T07:60:00Z',
    '2020-08-08T07:53:60Z',
    '2020-08-08 07:53:18Z',
    '2020-08-08T07:53:18',
    '2020-08-08T07:53:18.Z',
    '2020-08-08T07:53:18ZZ',
    '2020-08-08T07:53:18+2:00',
    '2020-08-08',
    '１２３４-08-08T07:53:18Z',
    1596873198825,
    null,
  ])('%j is not one', (value) => {
    expect(isoTimestampMillis(value)).toBeNaN()
    expect(isRight(IsoTimestamp.decode(value))).toBe(false)
  })

  it('agrees with Date.parse on the accepted grammar, and rejects exactly the impossible fields', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    const daysIn = (year: number, month: number) =>
      month === 2
        ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
          ? 29
          : 28
        : [4, 6, 9, 11].includes(month)
          ? 30
          : 31
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 0, max: 9999 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 61 }),
          second: fc.option(fc.integer({ min: 0, max: 61 })),
          fraction: fc.option(fc.stringMatching(/^[0-9]{1,7}$/)),
          zone: fc.oneof(
            fc.constantFrom('Z', 'z'),
            fc.record({
              sign: fc.constantFrom('+', '-'),
              hours: fc.integer({ min: 0, max: 24 }),
              minutes: fc.integer({ min: 0, max: 60 }),
              colon: fc.boolean(),
            }),
          ),
          t: fc.constantFrom('T', 't'),
        }),
        (p) => {
          const time =
            p.second === null
              ? `${pad(p.hour, 2)}:${pad(p.minute, 2)}`
              : `${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction === null ? '' : `.${p.fraction}`}`
          const zone =
            typeof p.zone === 'string'
              ? p.zone
              : `${p.zone.sign}${pad(p.zone.hours, 2)}${p.zone.colon ? ':' : ''}${pad(p.zone.minutes, 2)}`
          const text = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.t}${time}${zone}`
          const valid =
            p.month >= 1 &&
            p.month <= 12 &&
            p.day >= 1 &&
            p.day <= daysIn(p.year, p.month) &&
            p.hour <= 23 &&
            p.minute <= 59 &&
            (p.second === null || p.second <= 59) &&
            (typeof p.zone === 'string' || (p.zone.hours <= 23 && p.zone.minutes <= 59))
          if (!valid) {
            expect(isoTimestampMillis(text)).toBeNaN()
            return
          }
          // Date.parse's own form: `T`, `Z`, seconds, exactly three fraction digits, `±HH:MM`.
          const millis = p.second === null ? '000' : (p.fraction ?? '').padEnd(3, '0').slice(0, 3)
          const offset =
            typeof p.zone === 'string'
              ? 'Z'
              : `${p.zone.sign}${pad(p.zone.hours, 2)}:${pad(p.zone.minutes, 2)}`
          const reference = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second ?? 0, 2)}.${millis}${offset}`
          expect(isoTimestampMillis(text)).toBe(Date.parse(reference))
        },
      ),
      { numRuns: 5000 },
    )
  })
})
