// Fault: a receiver process killed (SIGKILL) while it exports, another while a flood of
// deliveries is in flight, and one that dies between a CRM write and the store's record of it. On
// PostgreSQL three receivers share the store and the survivors take over (two kept alive); on
// PGlite (one process per directory) a new process opens the directory once the last one is gone.
// Smartsupp re-delivers what was cut off. Acknowledged ⇒ stored, every conversation exported
// whole, once per revision; the export written by a process that died before recording it is
// exported again, the documented exception, counted.
import { describe, expect, it } from 'vitest'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import { type DeliveryLog, deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget, type StoreKind } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { type FleetReceiver, startFleet } from './support/fleet.js'
import type { ReceiverConfig } from './support/fleet-config.js'
import { sleep, until } from './support/until.js'

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function receiverKilled(): void {
  const kinds: StoreKind[] = skipPostgres ? ['pglite'] : ['pglite', 'postgres']
  describe.concurrent('a receiver killed (SIGKILL) during an export and during a flood', () => {
    for (const kind of kinds) {
      it(`on ${kind}: the others (or the next process) take over; acknowledged ⇒ stored; exported whole, once per revision`, async ({
        onTestFinished,
      }) => {
        const target = faultTarget(
          kind,
          `killed${kind}`,
          kind === 'postgres' ? { url: requirePostgresUrl() } : null,
        )
        onTestFinished(() => target.dispose())
        const fleet = startFleet(`killed-${kind}`)
        onTestFinished(() => fleet.dispose())
        const load = await faultLoad(`killed-${kind}`, 24, { stagger: 3 })
        // This one's export writes, then its process dies before the store records it (its first
        // three tries: one of them may be cut off by the test's own kills).
        const dying = load.conversations[5]?.id as string
        const config = (name: string): Omit<ReceiverConfig, 'recordDir'> => ({
          name,
          secret: FAULTS_SECRET,
          store: target.store,
          receive: {
            settleMs: 300,
            quietMs: null,
            leaseMs: 1500,
            exportTimeoutMs: 10_000,
            sweepIntervalMs: 100,
          },
          // Long enough that a kill lands inside exports.
          callback: { delayMs: 1000, plan: { [dying]: ['die', 'die', 'die'] } },
        })
        // PostgreSQL: three processes share the store, at least two kept alive. PGlite: one at a
        // time, the next started once the last one is gone.
        const keep = kind === 'postgres' ? 2 : 1
        await Promise.all(
          (kind === 'postgres' ? ['A', 'B', 'C'] : ['A']).map((name) => fleet.start(config(name))),
        )
        let keeping = true
        const keeper = (async () => {
          for (let n = 1; keeping; n++) {
            if (fleet.receivers.filter((r) => r.alive()).length < keep) await fleet.start(config(`R${n}`))
            await sleep(50)
          }
        })()
        const victims: FleetReceiver[] = []
        const kill = async (victim: FleetReceiver) => {
          victims.push(victim)
          await fleet.kill(victim)
        }
        const log: DeliveryLog = { tries: [], acknowledged: new Set() }
        // A live receiver inside an export: it recorded the start and no write of that try yet.
        const inExport = () => {
          const records = fleet.records()
          return fleet.receivers.find(
            (x) =>
              x.alive() &&
              records.some(
                (r) =>
                  r.type === 'start' &&
                  r.pid === x.pid &&
                  !records.some(
                    (w) =>
                      w.type === 'write' && w.pid === r.pid && w.id === r.id && w.revision === r.revision,
                  ),
              ),
          )
        }
        const director = (async () => {
          // 1. During a flood: once half the deliveries were acknowledged, with many in flight
          // (polled every millisecond: a fast store acknowledges the rest within a 100 ms poll).
          await until(
            () => log.acknowledged.size >= load.deliveries.length / 2,
            'half acknowledged',
            90_000,
            1,
          )
          await until(() => fleet.receivers.some((r) => r.alive()), 'a receiver is alive', 90_000, 1)
          await kill(fleet.receivers.find((r) => r.alive()) as FleetReceiver)
          // 2. During an export: a live receiver (a survivor, or the next process) inside
          // onConversationFinished (each call takes a second).
          await until(() => inExport() !== undefined, 'a live receiver inside an export', 90_000, 5)
          await kill(inExport() as FleetReceiver)
        })()
        await deliverAll(load.deliveries, { targets: fleet.live, concurrency: 12, maxMs: 3000 }, log)
        await director
        await target.exported(fleet, load)
        await sleep(1000)
        keeping = false
        await keeper
        await fleet.stopAll()

        const records = fleet.records()
        // The kills landed where they were meant to: with deliveries cut off, and inside an export.
        const killedInExport = records.filter(
          (r) =>
            r.type === 'start' &&
            victims.some((v) => v.pid === r.pid) &&
            !records.some(
              (w) => w.type === 'write' && w.pid === r.pid && w.id === r.id && w.revision === r.revision,
            ),
        )
        expect(killedInExport.length, 'exports cut off by a kill').toBeGreaterThan(0)
        const cut = log.tries.filter((t) => t.status === null)
        expect(cut.length, 'deliveries cut off or refused by the kills').toBeGreaterThan(0)
        const store = target.open()
        const figures = await checkFaultOutcome({
          scenario: `receiver killed, ${kind}`,
          load,
          log,
          records,
          killed: fleet.killed,
          store,
        })
        const diag = () =>
          JSON.stringify({
            killed: [...fleet.killed],
            receivers: fleet.receivers.map((r) => [r.name, r.pid, r.child.signalCode]),
            dying: records
              .filter((r) => r.id === dying)
              .map((r) => [r.type, r.name, r.pid, r.revision, r.attempt, r.at]),
          })
        // The one that died between its write and the store's record was exported again: counted.
        expect(figures.extra.died, diag()).toBeGreaterThanOrEqual(1)
        const dyingWrites = records.filter((r) => r.type === 'write' && r.id === dying)
        expect(dyingWrites.length, diag()).toBeGreaterThanOrEqual(2)
        console.info(
          `[faults] receiver killed, ${kind}: ${killedInExport.length} exports cut off mid-callback, ${cut.length} tries without an answer, ${figures.extra.died} revisions exported twice because a killed process had written them`,
        )
      }, 180_000)
    }
  })
}
