// Fault: two receiver processes opened on one PGlite directory, both behind the load balancer. The
// second refuses to store (500, naming the holder) while the first lives, so Smartsupp
// re-delivers; the first is stopped mid-load (SIGTERM, closeOnSignals: its running exports finish
// first) and the second takes the directory over. Nothing acknowledged by either is lost; every
// conversation is exported whole, once per revision. (PostgreSQL serves many processes by design.)
import { describe, expect, it } from 'vitest'
import { type DeliveryLog, deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { type FleetReceiver, startFleet } from './support/fleet.js'
import type { ReceiverConfig } from './support/fleet-config.js'
import { until } from './support/until.js'

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function twoOpeners(): void {
  describe('two receiver processes open one PGlite directory', () => {
    it('the second refuses (500) until the first stops, then takes over; acknowledged ⇒ stored; exported whole, once per revision', async ({
      onTestFinished,
    }) => {
      const target = faultTarget('pglite', 'openers')
      onTestFinished(() => target.dispose())
      const fleet = startFleet('openers')
      onTestFinished(() => fleet.dispose())
      const config = (name: string): Omit<ReceiverConfig, 'recordDir'> => ({
        name,
        secret: FAULTS_SECRET,
        store: target.store,
        receive: {
          settleMs: 300,
          quietMs: null,
          leaseMs: 2000,
          exportTimeoutMs: 10_000,
          sweepIntervalMs: 100,
        },
        callback: { delayMs: 300 },
        closeOnSignals: { graceMs: 5000 },
      })
      const first = await fleet.start(config('A'))
      const second = await fleet.start(config('B'))
      expect(first.locked).toBeNull()
      expect(second.locked).toMatch(
        /^DirectoryLockedError: the PGlite directory .* is in use by another process \(pid \d+/,
      )
      expect(second.locked).toContain(`(pid ${first.pid},`)

      const load = await faultLoad('openers', 20, { stagger: 3 })
      const log: DeliveryLog = { tries: [], acknowledged: new Set() }
      let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null
      const director = (async () => {
        await until(() => log.acknowledged.size >= load.deliveries.length / 2, 'half acknowledged')
        stopped = fleet.signal(first, 'SIGTERM')
        await stopped
      })()
      await deliverAll(load.deliveries, { targets: fleet.live, maxMs: 1000 }, log)
      await director
      expect(await (stopped as unknown as Promise<unknown>)).toEqual({ code: null, signal: 'SIGTERM' })
      await target.exported(fleet, load)
      await fleet.stopAll()

      // Both were delivered to; the second answered 500 while the first held the directory.
      const at = (r: FleetReceiver) => log.tries.filter((t) => t.url === r.url)
      expect(at(first).filter((t) => t.status === 200).length).toBeGreaterThan(0)
      expect(at(second).filter((t) => t.status === 500).length).toBeGreaterThan(0)
      expect(at(second).filter((t) => t.status === 200).length).toBeGreaterThan(0)
      const records = fleet.records()
      expect(records.filter((r) => r.pid === first.pid && r.type === 'closeError')).toEqual([])
      await checkFaultOutcome({
        scenario: 'two openers, pglite',
        load,
        log,
        records,
        killed: fleet.killed,
        store: target.open(),
      })
      console.info(
        `[faults] two openers: the second answered ${at(second).filter((t) => t.status === 500).length} deliveries 500 while the first held the directory, then ${at(second).filter((t) => t.status === 200).length} 200`,
      )
    }, 120_000)
  })
}
