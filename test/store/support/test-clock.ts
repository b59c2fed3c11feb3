/** A clock the test moves by hand, so leases, retries and quiet periods never depend on real time. */
export interface TestClock {
  readonly now: () => Date
  advance(ms: number): void
}

export function testClock(start = Date.parse('2026-03-01T12:00:00.000Z')): TestClock {
  let t = start
  return {
    now: () => new Date(t),
    advance(ms: number): void {
      t += ms
    },
  }
}
