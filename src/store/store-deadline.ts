/**
 * Resolves or rejects as `work` does, or rejects after `ms` with an error naming the store call
 * (internal): the export sweep and each export bound every store call with it, so a store that
 * stopped answering (a frozen database, a network that drops packets) holds nothing forever. The
 * call itself is not cancelled; its late result is ignored. The timer does not keep a process alive.
 */
export function storeDeadline<T>(work: Promise<T>, ms: number, call: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `the event store did not answer ${call} within ${Math.round(ms)} ms; it is given up and tried again later. Check the database (stopped, frozen or unreachable); postgresEventStore bounds each statement with queryTimeoutMs`,
        ),
      )
    }, ms)
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
