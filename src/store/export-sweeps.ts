import type { EventStore } from './event-store.js'
import type { ResolvedExportOptions } from './export-finished.js'
import { claimDue, exportOne } from './export-one.js'

/** The stop function of the sweep timer running for each store in this process. */
const sweepers = new WeakMap<EventStore, () => void>()
/** Stores being shut down: no sweep starts on them again, and deliveries start no export. */
const retired = new WeakSet<EventStore>()

/** Registers a store's sweep timer (internal), stopping the one it replaces. */
export function registerExportSweep(store: EventStore, stop: () => void): void {
  sweepers.get(store)?.()
  sweepers.set(store, stop)
}

/**
 * Stops the export sweep timer the webhook receivers run for `store` in this process (call it
 * before `store.close()` on shutdown, or the timer reports the closed store to `onExportError`).
 * A receiver created (or delivered to) later on the store starts it again. Safe to call when none runs.
 */
export function stopExportSweep(store: EventStore): void {
  sweepers.get(store)?.()
  sweepers.delete(store)
}

/**
 * Stops the sweep of a store about to close, for good (internal: `closeOnSignals` and the NestJS
 * module's shutdown): unlike `stopExportSweep`, a delivery still in flight neither starts it again
 * nor starts an export of its own, so nothing claims a conversation on a store that is closing.
 */
export function retireExportSweep(store: EventStore): void {
  retired.add(store)
  stopExportSweep(store)
}

/** Whether `retireExportSweep` was called for this store (internal). */
export function isExportRetired(store: EventStore): boolean {
  return retired.has(store)
}

/**
 * Starts this process's sweep timer for `settings.store` (internal), replacing any other: every
 * `intervalMs` it claims as many due conversations as it has free slots (`settings.limit` exports
 * at once) and starts each on its own, so a hung export holds one slot, never the sweep. The
 * timer is unref'd: it does not keep the process alive. `isRunning()` turns false once it is
 * stopped, by `stopExportSweep` or by a sweep started later on the same store.
 */
export function startExportSweep(
  settings: ResolvedExportOptions,
  intervalMs: number,
  onClaimError: (error: unknown) => void,
): { readonly isRunning: () => boolean } {
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
