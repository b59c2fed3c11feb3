/**
 * The claim an export ran under was lost (reported to `onExportError`): another process claimed
 * the conversation after the lease ran out unrenewed (this process or the store was stalled for
 * `leaseMs`), so it may be exported there too. `context.signal` aborted with this error.
 */
export class ClaimLostError extends Error {
  override readonly name = 'SmartsuppClaimLostError'
  constructor(
    readonly conversationId: string,
    why: string,
    options?: { readonly cause?: unknown },
  ) {
    super(
      `the claim on conversation ${conversationId} was lost while exporting it (${why}); this try was given up and context.signal aborted. The lease is renewed every leaseMs / 3: keep leaseMs well above the store's slowest answer`,
      options,
    )
  }
}
