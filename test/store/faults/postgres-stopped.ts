// Fault: PostgreSQL stopped (`pg_ctl stop -m immediate`: no checkpoint, crash recovery at the next
// start) in the middle of a load on two receiver processes, restarted 3 s later; Smartsupp
// re-delivers every delivery not answered 200. Every acknowledged event survives the crash, every
// conversation's last export is whole, once per revision but for counted, documented cases.
import { describe, expect, it } from 'vitest'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { startPrivatePostgres } from '../../support/private-postgres.mjs'
import { deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'
import { sleep, until } from './support/until.js'

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function postgresStopped(): void {
  describe('PostgreSQL stopped (-m immediate) mid-load, restarted, then re-deliveries', () => {
    it('two receivers: acknowledged ⇒ stored; every conversation exported whole, once per revision', async ({
      onTestFinished,
    }) => {
      const server = await startPrivatePostgres({ database: 'faults_stopped' })
      onTestFinished(() => server.remove())
      const fleet = startFleet('stopped')
      onTestFinished(() => fleet.dispose())
      const store = { kind: 'postgres', url: server.url, tablePrefix: 'faults_' } as const
      const receive = {
        settleMs: 500,
        quietMs: null,
        leaseMs: 2000,
        exportTimeoutMs: 5000,
        sweepIntervalMs: 200,
      }
      await Promise.all(
        ['A', 'B'].map((name) =>
          fleet.start({ name, secret: FAULTS_SECRET, store, receive, callback: { delayMs: 50 } }),
        ),
      )
      const load = await faultLoad('stopped', 30, { stagger: 3 })
      let outage: Promise<void> | null = null
      let downAt = 0
      let upAt = 0
      const log = await deliverAll(load.deliveries, {
        targets: fleet.live,
        maxMs: 6000,
        onTry: (_, l) => {
          if (outage === null && l.acknowledged.size >= load.deliveries.length / 3) {
            outage = (async () => {
              downAt = Date.now()
              await server.stop('immediate')
              await sleep(3000)
              await server.restart()
              upAt = Date.now()
            })()
          }
        },
      })
      await outage
      const refused = log.tries.filter((t) => t.status !== 200)
      expect(refused.length, 'deliveries refused while PostgreSQL was down').toBeGreaterThan(0)

      const checker = postgresEventStore({ connectionString: server.url, tablePrefix: 'faults_' })
      onTestFinished(() => checker.close())
      await until(async () => {
        const listed = await checker.conversations({ limit: 1000 })
        return listed.length === load.conversations.length && listed.every((c) => c.state === 'exported')
      }, 'every conversation was exported')
      await sleep(1000) // a wrong extra export would show by now
      await fleet.stopAll()
      const figures = await checkFaultOutcome({
        scenario: 'postgres stopped',
        load,
        log,
        records: fleet.records(),
        killed: fleet.killed,
        store: checker,
      })
      console.info(
        `[faults] postgres stopped: down ${upAt - downAt} ms; ${refused.length} tries refused (${[...new Set(refused.map((t) => t.status ?? t.error))].join(', ')})`,
      )
      expect(figures.exports).toBe(
        figures.revisions + Object.values(figures.extra).reduce((a, b) => a + b, 0),
      )
    }, 180_000)
  })
}
