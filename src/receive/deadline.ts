/** What `Deadline.race` yields when the deadline passed first. */
export const TIMED_OUT: unique symbol = Symbol('timed out')

/** One request's callback deadline: races work against it; `clear()` once the answer is known. */
export interface Deadline {
  race<T>(work: () => T | PromiseLike<T>): Promise<Awaited<T> | typeof TIMED_OUT>
  clear(): void
}

/**
 * Starts a deadline `timeoutMs` from now. `race` runs `work` (a synchronous throw becomes a
 * rejection) and settles with its result or `TIMED_OUT`, whichever comes first; a late
 * rejection is absorbed, never unhandled.
 */
export function startDeadline(timeoutMs: number): Deadline {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs)
  })
  return {
    race: (work) => Promise.race([Promise.resolve().then(work), expired]),
    clear: () => clearTimeout(timer),
  }
}
