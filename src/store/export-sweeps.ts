import type { EventStore } from './event-store.js'

/** The stop function of the sweep timer running for each store in this process. */
const sweepers = new WeakMap<EventStore, () => void>()

/** Registers a store's sweep timer (internal), stopping the one it replaces. */
export function registerExportSweep(store: EventStore, stop: () => void): void {
  sweepers.get(store)?.()
  sweepers.set(store, stop)
}

/**
 * Stops the export sweep timer the webhook receivers run for `store` in this process (call it
 * before `store.close()` on shutdown, or the timer reports the closed store to `onExportError`).
 * A later delivery to a receiver on the store starts it again. Safe to call when none runs.
 */
export function stopExportSweep(store: EventStore): void {
  sweepers.get(store)?.()
  sweepers.delete(store)
}
