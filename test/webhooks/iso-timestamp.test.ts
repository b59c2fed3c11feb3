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
})
