/**
 * What `onError` receives when a callback did not settle within `timeoutMs`: the delivery was
 * answered 503 and anything the callback does later is ignored (it may still finish: see
 * "Timeouts and idempotency" in docs/receiving.md). Its message says the status, the body's size
 * and the fix.
 */
export class SmartsuppTimeoutError extends Error {
  override readonly name = 'SmartsuppTimeoutError'
  /** The status the delivery was answered with: 503. */
  readonly status = 503
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number
  /** The size of the body the callback was handling, in bytes (`context.rawBody` holds it), or `null` when unknown. */
  readonly bodyBytes: number | null

  constructor(timeoutMs: number, bodyBytes: number | null = null) {
    super(
      `smartsupp-hook: a callback did not settle within ${timeoutMs} ms (option timeoutMs)${bodyBytes === null ? '' : ` for a body of ${bodyBytes} bytes`}; the delivery was answered 503 and its late result will be ignored (it may still finish, so a re-delivery can reach your callback a second time). Fix: keep the raw body from context.rawBody now; answer sooner (store first, do slow work after the answer), or raise timeoutMs`,
    )
    this.timeoutMs = timeoutMs
    this.bodyBytes = bodyBytes
  }
}
