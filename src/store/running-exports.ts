import type { EventStore } from './event-store.js'
import { ExportStoppedError } from './export-stopped-error.js'

/** One export running in this process (internal): it settles when the try ends; `stop` gives it up. */
export interface RunningExport {
  readonly conversationId: string
  readonly done: Promise<unknown>
  stop(error: Error): void
}

/** This process's running exports, per store. */
const running = new WeakMap<EventStore, Set<RunningExport>>()
/** Stores whose exports this process stopped for good (closeOnSignals): nothing new is claimed. */
const closed = new WeakSet<EventStore>()

/** How long exports given up at the end of the grace period get to release their claims. */
const RELEASE_MS = 2000

/** Adds an export to `store`'s running ones until it settles (internal). */
export function trackExport(store: EventStore, entry: RunningExport): void {
  let set = running.get(store)
  if (set === undefined) {
    set = new Set()
    running.set(store, set)
  }
  const mine = set
  mine.add(entry)
  void entry.done.finally(() => mine.delete(entry))
}

/** True once `closeExports` was called for `store` in this process: no export may start (internal). */
export function exportsClosed(store: EventStore): boolean {
  return closed.has(store)
}

/** From now on this process claims nothing more on `store` (internal; closeOnSignals, the Nest module). */
export function closeExports(store: EventStore): void {
  closed.add(store)
}

const wait = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms))
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
  })

/**
 * Settles once this process's exports on `store` have ended (internal): those still running after
 * `graceMs` are given up through their signal (`ExportStoppedError`) and get a moment to release
 * their claims. Exports that start meanwhile are waited for too. Never rejects.
 */
export async function drainExports(store: EventStore, graceMs: number): Promise<void> {
  const set = running.get(store)
  if (set === undefined) return
  const deadline = Date.now() + graceMs
  while (set.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.allSettled([...set].map((e) => e.done)), wait(deadline - Date.now())])
  }
  if (set.size === 0) return
  const left = [...set]
  for (const entry of left) entry.stop(new ExportStoppedError(entry.conversationId, graceMs))
  await Promise.race([Promise.allSettled(left.map((e) => e.done)), wait(RELEASE_MS)])
}
