import type { EventStore } from './event-store.js'
import type { ResolvedExportOptions } from './export-finished.js'
import { claimDue, exportOne } from './export-one.js'
import { closeExports, drainExports, exportsClosed } from './running-exports.js'

/** The stop function of the sweep timer running for each store in this process. */
const sweepers = new WeakMap<EventStore, () => void>()

/** Registers a store's sweep timer (internal), stopping the one it replaces. */
export function registerExportSweep(store: EventStore, stop: () => void): void {
  sweepers.get(store)?.()
  sweepers.set(store, stop)
}

/** Options of `stopExportSweep`. */
export interface StopExportSweepOptions {
  /**
   * How long the exports already running in this process may take to finish (ms); then they are
   * given up (`context.signal` aborts with an `ExportStoppedError`) and their claims released, so
   * another process exports them at once. Default 10 000.
   */
  readonly graceMs?: number
}

/** The default grace period for running exports at shutdown. */
export const DEFAULT_EXPORT_GRACE_MS = 10_000

const checkGrace = (graceMs: unknown): number => {
  if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) {
    throw new TypeError('smartsupp-hook: stopExportSweep: graceMs must be a number of milliseconds ≥ 0')
  }
  return graceMs
}

/**
 * Stops the export sweep timer the webhook receivers run for `store` in this process, and returns
 * a promise that settles once the exports this process is running on `store` have ended: those
 * still running after `graceMs` are given up through their `context.signal` and their claims
 * released for another process. Await it before `store.close()` on shutdown (`closeOnSignals`
 * does), so an export is not cut off halfway and repeated after its lease. A receiver created (or
 * delivered to) later on the store starts the sweep again. Safe to call when none runs; never rejects.
 */
export function stopExportSweep(store: EventStore, options: StopExportSweepOptions = {}): Promise<void> {
  const graceMs = checkGrace(options.graceMs ?? DEFAULT_EXPORT_GRACE_MS)
  sweepers.get(store)?.()
  sweepers.delete(store)
  return drainExports(store, graceMs)
}

/**
 * `stopExportSweep` for good (internal; `closeOnSignals` and the Nest module, before the store is
 * closed): from now on this process claims nothing on `store`, whether by its sweep or by a
 * delivery still in flight, and the promise settles once the running exports have ended.
 */
export function stopExportsForClose(store: EventStore, graceMs: number): Promise<void> {
  closeExports(store)
  return stopExportSweep(store, { graceMs })
}

/**
 * Starts this process's sweep timer for `settings.store` (internal), replacing any other: every
 * `intervalMs` it claims as many due conversations as it has free slots (`settings.limit` exports
 * at once) and starts each on its own, so a hung export holds one slot, never the sweep; a claim
 * the store does not answer within `leaseMs` is given up (reported), so a frozen database never
 * holds it either. The timer is unref'd: it does not keep the process alive. `isRunning()` turns
 * false once it is stopped, by `stopExportSweep` or by a sweep started later on the same store.
 * Once the store's exports were stopped for good in this process, nothing starts.
 */
export function startExportSweep(
  settings: ResolvedExportOptions,
  intervalMs: number,
  onClaimError: (error: unknown) => void,
): { readonly isRunning: () => boolean } {
  if (exportsClosed(settings.store)) return { isRunning: () => false }
  let running = 0
  let claiming = false
  const tick = () => {
    const free = settings.limit - running
    if (claiming || free <= 0) return
    claiming = true
    claimDue(settings, free).then(
      (claims) => {
        claiming = false
        for (const claim of claims) {
          running++
          // exportOne never rejects: every failure went to onError.
          void exportOne(claim, settings).finally(() => {
            running--
          })
        }
      },
      (error: unknown) => {
        claiming = false
        onClaimError(error)
      },
    )
  }
  const timer = setInterval(tick, intervalMs)
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    clearInterval(timer)
  }
  registerExportSweep(settings.store, stop)
  return { isRunning: () => !stopped }
}
