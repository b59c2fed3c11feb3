// Fault: exports slower than half the lease. Two exporter processes share a PostgreSQL store with
// leaseMs 1 000 and callbacks of 600 ms (some of 2 500 ms, longer than the lease), 20 conversations
// closing together, so both claim in batches. Each claim's lease is renewed while its callback
// runs: no conversation is handed to a second callback, and every extra call there is would be
// reported (ClaimLostError, ExportTimeoutError), never silent. (PGlite: one process per directory,
// so two exporters do not apply.)
import { describe, expect, it } from 'vitest'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import { deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'
import { sleep } from './support/until.js'

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function shortLease(): void {
  describe.skipIf(skipPostgres)(
    '600 ms exports with a 1 s lease on two exporter processes (PostgreSQL)',
    () => {
      it('each conversation is handed to one callback, once; any extra call is reported', async ({
        onTestFinished,
      }) => {
        const target = faultTarget('postgres', 'lease', { url: requirePostgresUrl() })
        onTestFinished(() => target.dispose())
        const fleet = startFleet('lease')
        onTestFinished(() => fleet.dispose())
        const load = await faultLoad('lease', 20)
        const slow = [load.conversations[3]?.id, load.conversations[11]?.id] as string[]
        await Promise.all(
          ['A', 'B'].map((name) =>
            fleet.start({
              name,
              secret: FAULTS_SECRET,
              store: target.store,
              receive: {
                settleMs: 300,
                quietMs: null,
                leaseMs: 1000,
                exportTimeoutMs: 10_000,
                sweepIntervalMs: 100,
              },
              // 'late' here is only a longer callback (2.5 s, beyond the lease) that writes at its end.
              callback: {
                delayMs: 600,
                lateMs: 2500,
                plan: Object.fromEntries(slow.map((id) => [id, ['late']])),
              },
            }),
          ),
        )
        const log = await deliverAll(load.deliveries, { targets: fleet.live })
        await target.exported(fleet, load)
        await sleep(1500) // a second call would show by now
        await fleet.stopAll()

        const records = fleet.records()
        const figures = await checkFaultOutcome({
          scenario: 'short lease, postgres',
          load,
          log,
          records,
          killed: fleet.killed,
          store: target.open(),
        })
        expect(figures.extra).toEqual({ died: 0, notMarked: 0, leaseLost: 0, ignoredSignal: 0 })
        expect(figures.exports).toBe(load.conversations.length)
        // Both processes exported (the claims were shared), and every call beyond one per conversation
        // was reported to onExportError.
        expect(new Set(records.filter((r) => r.type === 'write').map((r) => r.pid)).size).toBe(2)
        const reported = records.filter((r) => r.type === 'exportError').length
        expect(figures.calls - load.conversations.length).toBeLessThanOrEqual(reported)
        console.info(
          `[faults] short lease: ${figures.calls} calls for ${load.conversations.length} conversations, ${reported} reported errors`,
        )
      }, 120_000)
    },
  )
}
