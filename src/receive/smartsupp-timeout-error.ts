/**
 * What `onError` receives when a callback did not settle within `timeoutMs`: the delivery was
 * answered 503 and anything the callback does later is ignored (it may still finish: see
 * "Timeouts and idempotency" in docs/receiving.md).
 */
export class SmartsuppTimeoutError extends Error {
  override readonly name = 'SmartsuppTimeoutError'
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number

  constructor(timeoutMs: number) {
    super(
      `smartsupp-hook: a callback did not settle within ${timeoutMs} ms (option timeoutMs); the delivery was answered 503 and its late result will be ignored`,
    )
    this.timeoutMs = timeoutMs
  }
}
