// Fault: one conversation's onConversationFinished hangs among 30 that close together (so they are
// claimed in the same batches). Its first try never settles (nor heeds its signal); its second
// ignores its signal and writes after it was given up (the documented late write); its third
// succeeds. The 29 others are exported once each meanwhile, no delivery is held by it (all are
// answered 200), and the hung one is given up at exportTimeoutMs, retried, and exported whole.
import { describe, expect, it } from 'vitest'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import { deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget, type StoreKind } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'
import { until } from './support/until.js'

const EXPORT_TIMEOUT_MS = 1000
const LATE_MS = 2500
/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function hungCallback(): void {
  const kinds: StoreKind[] = skipPostgres ? ['pglite'] : ['pglite', 'postgres']
  describe.concurrent('one hung onConversationFinished among 30 conversations', () => {
    for (const kind of kinds) {
      it(`on ${kind}: the 29 others are exported once each, no answer waits for it; it is given up, retried and exported whole`, async ({
        onTestFinished,
      }) => {
        const target = faultTarget(
          kind,
          `hung${kind}`,
          kind === 'postgres' ? { url: requirePostgresUrl() } : null,
        )
        onTestFinished(() => target.dispose())
        const fleet = startFleet(`hung-${kind}`)
        onTestFinished(() => fleet.dispose())
        const load = await faultLoad(`hung-${kind}`, 30)
        const hung = load.conversations[7]?.id as string
        await Promise.all(
          (kind === 'postgres' ? ['A', 'B'] : ['A']).map((name) =>
            fleet.start({
              name,
              secret: FAULTS_SECRET,
              store: target.store,
              receive: {
                settleMs: 300,
                quietMs: null,
                leaseMs: 3000,
                exportTimeoutMs: EXPORT_TIMEOUT_MS,
                sweepIntervalMs: 100,
              },
              callback: { delayMs: 50, lateMs: LATE_MS, plan: { [hung]: ['hang', 'late', 'ok'] } },
            }),
          ),
        )
        const log = await deliverAll(load.deliveries, { targets: fleet.live })
        await target.exported(fleet, load, { ms: 60_000 })
        // The late write of the second try lands LATE_MS after it started.
        await until(
          () => fleet.records().filter((r) => r.type === 'write' && r.id === hung).length >= 2,
          'the given-up try wrote late',
        )
        await fleet.stopAll()

        const records = fleet.records()
        const figures = await checkFaultOutcome({
          scenario: `hung callback, ${kind}`,
          load,
          log,
          records,
          killed: fleet.killed,
          store: target.open(),
        })
        // No delivery was held by the hung export: every one answered 200 at its first try.
        expect(log.tries.filter((t) => t.status !== 200)).toEqual([])
        const longest = Math.max(...log.tries.map((t) => t.answeredAt - t.startedAt))
        const hungStoredId = load.conversations[7]?.storedId
        const timeouts = records.filter(
          (r) =>
            r.type === 'exportError' &&
            r.storedId === hungStoredId &&
            r.error?.startsWith('SmartsuppExportTimeoutError'),
        )
        // Given up twice (the hung try and the late one), exported at the third.
        expect(timeouts).toHaveLength(2)
        expect(
          records.filter((r) => r.type === 'start' && r.id === hung).map((r) => r.attempt),
          'its tries',
        ).toEqual([1, 2, 3])
        expect(figures.extra).toEqual({ died: 0, notMarked: 0, leaseLost: 0, ignoredSignal: 1 })
        // Every other conversation: one call, one write.
        const others = records.filter((r) => r.type === 'start' && r.id !== hung)
        expect(others).toHaveLength(29)
        console.info(
          `[faults] hung callback, ${kind}: longest delivery answer ${longest} ms; 29 others exported once each`,
        )
      }, 120_000)
    }
  })
}
