/**
 * A conversation whose export failed `maxExportAttempts` times in a row and is now `failed`
 * (reported to `onExportError`, the last failure as `cause`): it is not exported again until
 * `smartsupp-hook export --retry <id>` or `store.retryFailed({ conversationId })`.
 */
export class ConversationFailedError extends Error {
  override readonly name = 'SmartsuppConversationFailedError'
  constructor(
    readonly conversationId: string,
    readonly failures: number,
    lastError: string,
    options?: { readonly cause?: unknown },
  ) {
    super(
      `conversation ${conversationId} failed to export ${failures} times in a row (maxExportAttempts) and is now failed: it is not exported again until you fix the cause and run smartsupp-hook export --retry ${JSON.stringify(conversationId)} (or store.retryFailed({ conversationId })). Last error: ${lastError}`,
      options,
    )
  }
}
