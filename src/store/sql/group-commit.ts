/** Bounds of `groupCommit` (internal). */
export interface GroupCommitLimits {
  /** At most this many items in one write. */
  readonly maxItems: number
  /** At most about this many bytes in one write (an item larger than this is written alone). */
  readonly maxBytes: number
  /** At most this many writes at once; the items that arrive meanwhile wait and form the next. */
  readonly inFlight: number
  /**
   * When set, each item's promise rejects with `timedOut(ms)` if it has not settled this long
   * after `submit`, whether it still waits in the queue (it is then dropped: never written) or its
   * write is in flight (whose late result is then ignored for it). `null`: no deadline.
   */
  readonly deadlineMs?: number | null
  /** The error an item past its deadline rejects with. */
  readonly timedOut?: (ms: number) => Error
}

/** A queue of items that `groupCommit` writes together (internal). */
export interface GroupCommit<Item, Result> {
  /** Queues `item` (of about `bytes` bytes); resolves with its result once the write holding it resolved. */
  submit(item: Item, bytes: number): Promise<Result>
  /** Resolves once every item submitted so far was written (or failed). */
  drain(): Promise<void>
}

interface Entry<Item, Result> {
  readonly item: Item
  readonly bytes: number
  readonly resolve: (result: Result) => void
  readonly reject: (error: unknown) => void
  /** Rejected at its deadline: dropped from the queue, its write's result ignored. */
  expired: boolean
}

// setImmediate runs once the I/O callbacks of this turn of the event loop ran: what arrived in
// the same turn goes in one write, at the cost of that turn (microseconds when idle). Runtimes
// without it (Workers, browsers) write after the current task's microtasks.
const soon: (run: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (run) => {
        ;(globalThis as unknown as { setImmediate: (f: () => void) => unknown }).setImmediate(run)
      }
    : (run) => queueMicrotask(run)

/**
 * Group commit (internal): items submitted while the writes in flight are busy are written
 * together by `write`, in submission order, at most `limits.maxItems` (and about
 * `limits.maxBytes`) at a time, at most `limits.inFlight` writes at once. A lone item waits for
 * no timer: it is written in the same turn of the event loop. `write` resolves with one result
 * per item, in order; when it rejects (or resolves with the wrong number of results), every item
 * of that write rejects with its error, so none is reported written unless all were. With
 * `limits.deadlineMs`, an item that has not settled that long after its submission rejects then:
 * a write that never ends (a frozen database) holds none of its items, nor those queued behind it.
 */
export function groupCommit<Item, Result>(
  write: (items: readonly Item[]) => Promise<readonly Result[]>,
  limits: GroupCommitLimits,
): GroupCommit<Item, Result> {
  const queue: Entry<Item, Result>[] = []
  let running = 0
  let scheduled = false
  let idle: (() => void)[] = []

  const settleIdle = () => {
    if (running > 0 || queue.length > 0 || scheduled) return
    const waiting = idle
    idle = []
    for (const resolve of waiting) resolve()
  }

  const take = (): Entry<Item, Result>[] => {
    const batch: Entry<Item, Result>[] = []
    let bytes = 0
    while (queue.length > 0 && batch.length < limits.maxItems) {
      const next = queue[0] as Entry<Item, Result>
      if (next.expired) {
        queue.shift()
        continue
      }
      if (batch.length > 0 && bytes + next.bytes > limits.maxBytes) break
      queue.shift()
      batch.push(next)
      bytes += next.bytes
    }
    return batch
  }

  const run = () => {
    scheduled = false
    while (running < limits.inFlight && queue.length > 0) {
      const batch = take()
      if (batch.length === 0) break
      running++
      Promise.resolve()
        .then(() => write(batch.map((e) => e.item)))
        .then((results) => {
          if (results.length !== batch.length) {
            throw new Error(
              `group commit: the write returned ${results.length} results for ${batch.length} items`,
            )
          }
          for (const [i, e] of batch.entries()) e.resolve(results[i] as Result)
        })
        .catch((error: unknown) => {
          for (const e of batch) e.reject(error)
        })
        .finally(() => {
          running--
          pump()
          settleIdle()
        })
    }
  }

  const pump = () => {
    if (scheduled || running >= limits.inFlight || queue.length === 0) return
    scheduled = true
    soon(run)
  }

  return {
    submit(item: Item, bytes: number): Promise<Result> {
      const deadlineMs = limits.deadlineMs ?? null
      if (deadlineMs === null) {
        return new Promise<Result>((resolve, reject) => {
          queue.push({ item, bytes, resolve, reject, expired: false })
          pump()
        })
      }
      return new Promise<Result>((resolve, reject) => {
        const entry: Entry<Item, Result> = {
          item,
          bytes,
          resolve: (result) => {
            clearTimeout(timer)
            if (!entry.expired) resolve(result)
          },
          reject: (error) => {
            clearTimeout(timer)
            if (!entry.expired) reject(error)
          },
          expired: false,
        }
        const timer = setTimeout(() => {
          // Dropped from the queue when a write takes the next batch (take skips it).
          entry.expired = true
          reject(
            limits.timedOut?.(deadlineMs) ?? new Error(`group commit: not written within ${deadlineMs} ms`),
          )
        }, deadlineMs)
        if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
        queue.push(entry)
        pump()
      })
    },
    drain(): Promise<void> {
      if (running === 0 && queue.length === 0 && !scheduled) return Promise.resolve()
      return new Promise<void>((resolve) => idle.push(resolve))
    },
  }
}
