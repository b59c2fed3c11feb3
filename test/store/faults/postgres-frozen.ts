// Fault: PostgreSQL frozen (SIGSTOP to the postmaster and every backend: connections stay open,
// nothing answers) for 25 s in the middle of a load on two receiver processes, then thawed.
// Deliveries are answered 5xx within a bound while it is frozen (never held for the whole freeze),
// the export sweep keeps going (its claims are bounded, so it retries instead of hanging), and
// after the thaw everything recovers: acknowledged ⇒ stored, every conversation exported whole,
// once per revision but for counted, documented cases.
import { describe, expect, it } from 'vitest'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { startPrivatePostgres } from '../../support/private-postgres.mjs'
import { type DeliveryTry, deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'
import { sleep, until } from './support/until.js'

const FREEZE_MS = 25_000
/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function postgresFrozen(): void {
  describe('PostgreSQL frozen (SIGSTOP) for 25 s mid-load, then thawed', () => {
    it('two receivers: 5xx in bounded time while frozen, the sweep keeps going; then everything recovers', async ({
      onTestFinished,
    }) => {
      const server = await startPrivatePostgres({ database: 'faults_frozen' })
      onTestFinished(async () => {
        server.thaw()
        await server.remove()
      })
      const fleet = startFleet('frozen')
      onTestFinished(() => fleet.dispose())
      const store = { kind: 'postgres', url: server.url, tablePrefix: 'faults_' } as const
      const receive = {
        settleMs: 500,
        quietMs: null,
        leaseMs: 3000,
        exportTimeoutMs: 5000,
        sweepIntervalMs: 200,
      }
      await Promise.all(
        ['A', 'B'].map((name) =>
          fleet.start({ name, secret: FAULTS_SECRET, store, receive, callback: { delayMs: 50 } }),
        ),
      )
      const load = await faultLoad('frozen', 30, { stagger: 3 })
      let freeze: Promise<void> | null = null
      let frozenAt = 0
      let thawedAt = 0
      const log = await deliverAll(load.deliveries, {
        targets: fleet.live,
        maxMs: 6000,
        onTry: (_, l) => {
          if (freeze === null && l.acknowledged.size >= load.deliveries.length / 3) {
            freeze = (async () => {
              frozenAt = Date.now()
              server.freeze()
              await sleep(FREEZE_MS)
              server.thaw()
              thawedAt = Date.now()
            })()
          }
        },
      })
      await freeze

      const during = (t: DeliveryTry) => t.startedAt >= frozenAt && t.startedAt < thawedAt
      const frozenTries = log.tries.filter(during)
      const answeredWhileFrozen = frozenTries.filter((t) => t.status !== null && t.answeredAt < thawedAt)
      const firstRefusal = Math.min(
        ...answeredWhileFrozen.filter((t) => t.status !== 200).map((t) => t.answeredAt),
      )
      const longest = Math.max(...log.tries.map((t) => t.answeredAt - t.startedAt))
      const claimErrors = fleet
        .records()
        .filter((r) => r.type === 'exportError' && r.storedId === null && r.at >= frozenAt && r.at < thawedAt)
      console.info(
        `[faults] postgres frozen: first 5xx ${firstRefusal - frozenAt} ms after the freeze; ${frozenTries.length} tries started while frozen, ${answeredWhileFrozen.length} answered before the thaw (${[...new Set(answeredWhileFrozen.map((t) => t.status))].join(', ')}); longest answer ${longest} ms; ${claimErrors.length} failed claims reported while frozen`,
      )
      // Answered while still frozen, with 5xx: no delivery waits for the thaw.
      expect(answeredWhileFrozen.filter((t) => t.status !== 200).length).toBeGreaterThan(0)
      expect(
        log.tries.filter((t) => t.status === null),
        'tries with no answer at all',
      ).toEqual([])
      expect(longest, 'no delivery is held for the whole freeze').toBeLessThan(FREEZE_MS)
      // Each receiver's sweep went on: its claims failed (bounded) more than once during the freeze.
      for (const receiver of fleet.receivers) {
        expect(
          claimErrors.filter((r) => r.pid === receiver.pid).length,
          `failed claims of ${receiver.name} while frozen`,
        ).toBeGreaterThanOrEqual(2)
      }

      const checker = postgresEventStore({ connectionString: server.url, tablePrefix: 'faults_' })
      onTestFinished(() => checker.close())
      await until(async () => {
        const listed = await checker.conversations({ limit: 1000 })
        return listed.length === load.conversations.length && listed.every((c) => c.state === 'exported')
      }, 'every conversation was exported')
      await sleep(1000)
      await fleet.stopAll()
      await checkFaultOutcome({
        scenario: 'postgres frozen',
        load,
        log,
        records: fleet.records(),
        killed: fleet.killed,
        store: checker,
      })
    }, 180_000)
  })
}
