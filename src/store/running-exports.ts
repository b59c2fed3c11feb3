import type { EventStore } from './event-store.js'
import { ExportStoppedError } from './export-stopped-error.js'

/** One export running in this process (internal): it settles when the try ends; `stop` gives it up. */
export interface RunningExport {
  /** The conversation exported; `''` for a claim in flight (`trackClaim`). */
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

/** Settles one task after `claim` settles (internal): what its caller started with the claims, by then tracked too. */
const afterClaim = (): Promise<void> =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, 0)
  })

/**
 * Counts a claim in flight on `store` among its running exports until it settles and the exports
 * its caller starts with it are tracked (internal): a shutdown that began meanwhile waits for it,
 * so the conversations it claimed are handed back (or exported) before the store closes, not left
 * claimed until their lease ends. Returns `claim`.
 */
export function trackClaim<T>(store: EventStore, claim: Promise<T>): Promise<T> {
  trackExport(store, { conversationId: '', done: claim.then(afterClaim, afterClaim), stop: () => {} })
  return claim
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
  // A claim in flight cannot be stopped (the export sweep bounds it by leaseMs); the exports it
  // starts once closed hand their claims back at once, and are waited for like the rest.
  for (const entry of [...set]) {
    if (entry.conversationId !== '') entry.stop(new ExportStoppedError(entry.conversationId, graceMs))
  }
  const releaseBy = Date.now() + RELEASE_MS
  while (set.size > 0 && Date.now() < releaseBy) {
    await Promise.race([Promise.allSettled([...set].map((e) => e.done)), wait(releaseBy - Date.now())])
  }
}
