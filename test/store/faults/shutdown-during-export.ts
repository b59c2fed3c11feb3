// A receiver process stopped by a service manager (SIGTERM, closeOnSignals) while it exports: the
// exports running then finish within graceMs and are recorded before the store closes (not cut off
// and repeated by another process after the lease); one that outlasts graceMs is given up through
// its signal (ExportStoppedError) and its claim released, so another live process exports it at
// once, long before the lease would have run out. PostgreSQL, two processes.
import { describe, expect, it } from 'vitest'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import { deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'
import type { ReceiverConfig } from './support/fleet-config.js'
import { until } from './support/until.js'

const LEASE_MS = 60_000
/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function shutdownDuringExport(): void {
  describe.skipIf(skipPostgres)('SIGTERM (closeOnSignals) while exports run', () => {
    it('running exports finish and are recorded before the store closes; one past graceMs is released and exported at once by another process', async ({
      onTestFinished,
    }) => {
      const target = faultTarget('postgres', 'drain', { url: requirePostgresUrl() })
      onTestFinished(() => target.dispose())
      const fleet = startFleet('drain')
      onTestFinished(() => fleet.dispose())
      const load = await faultLoad('drain', 6)
      const stuck = load.conversations[5]?.id as string
      // The stuck conversation hangs in A only: B's try of it is its first counted one too (a try
      // given up at shutdown counts nothing), so a plan by attempt would hang it again.
      const config = (name: string, sweepIntervalMs: number | null): Omit<ReceiverConfig, 'recordDir'> => ({
        name,
        secret: FAULTS_SECRET,
        store: target.store,
        // A lease far longer than the test: only a release lets another process export sooner.
        receive: {
          settleMs: 0,
          quietMs: null,
          leaseMs: LEASE_MS,
          exportTimeoutMs: 30_000,
          sweepIntervalMs,
          exportWaitMs: 0,
        },
        callback: { delayMs: 1500, plan: name === 'A' ? { [stuck]: ['hang'] } : {} },
        closeOnSignals: { graceMs: 3000 },
      })
      // A exports (delivered to, with its sweep); B stands by with its sweep only.
      const a = await fleet.start(config('A', 100))
      const deliveredToA = () => [a.url]
      const log = await deliverAll(load.deliveries, { targets: deliveredToA })
      await until(
        () =>
          new Set(
            fleet
              .records()
              .filter((r) => r.type === 'start' && r.pid === a.pid)
              .map((r) => r.id),
          ).size === 6,
        'A started all six exports',
      )
      const b = await fleet.start(config('B', 100))
      const stoppedAt = Date.now()
      const exit = await fleet.signal(a, 'SIGTERM')
      expect(exit).toEqual({ code: null, signal: 'SIGTERM' })
      await target.exported(fleet, load, { ms: 30_000 })
      const exportedAt = Date.now()
      await fleet.stopAll()

      const records = fleet.records()
      const ofA = records.filter((r) => r.pid === a.pid)
      // The five that could finish did, in A, before its store closed; the stuck one was given up.
      const closedAt = ofA.find((r) => r.type === 'closed')?.at ?? Number.NaN
      const written = ofA.filter((r) => r.type === 'write')
      expect(written.map((r) => r.id).sort()).toEqual(load.conversations.slice(0, 5).map((c) => c.id))
      for (const w of written) expect(w.at).toBeLessThan(closedAt)
      expect(ofA.filter((r) => r.type === 'exportError').map((r) => r.error?.split(':')[0])).toEqual([
        'SmartsuppExportStoppedError',
      ])
      // B exported the released one (the same revision), well before A's lease ended; A's try,
      // given up at shutdown, counted nothing toward maxExportAttempts: B's is attempt 1 too.
      const byB = records.filter((r) => r.pid === b.pid && r.type === 'write')
      expect(byB.map((r) => [r.id, r.revision, r.attempt])).toEqual([[stuck, 1, 1]])
      // Handed back by A's release (its reason recorded), not taken over at the end of its lease (the
      // wait above is far shorter than the lease): claimed twice, by A and by B.
      const stuckState = await target.open().conversation(load.conversations[5]?.storedId ?? '')
      expect(stuckState?.lastError).toMatch(
        /^the export of conversation drain-05 was still running 3000 ms after this process began to shut down/,
      )
      expect(stuckState).toMatchObject({ state: 'exported', attempts: 2 })
      const figures = await checkFaultOutcome({
        scenario: 'shutdown during exports, postgres',
        load,
        log,
        records,
        killed: fleet.killed,
        store: target.open(),
      })
      expect(figures.extra).toEqual({ died: 0, notMarked: 0, leaseLost: 0, ignoredSignal: 0 })
      console.info(
        `[faults] shutdown during exports: 5 finished in A before its store closed; the stuck one exported by B ${exportedAt - stoppedAt} ms after the SIGTERM (lease ${LEASE_MS} ms)`,
      )
    }, 90_000)
  })
}
