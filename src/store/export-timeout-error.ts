/**
 * An export that did not finish within `exportTimeoutMs` (reported to `onExportError`): that try
 * was given up, `context.signal` aborted with this error, and the conversation is retried after
 * its delay. `conversationId` and `timeoutMs` say which and how long.
 */
export class ExportTimeoutError extends Error {
  override readonly name = 'SmartsuppExportTimeoutError'
  constructor(
    readonly conversationId: string,
    readonly timeoutMs: number,
    stage: string,
  ) {
    super(
      `the export of conversation ${conversationId} did not finish within exportTimeoutMs (${timeoutMs} ms; it was ${stage}): this try was given up, context.signal aborted, and it is retried later. Make onConversationFinished faster or raise exportTimeoutMs, and stop when context.signal aborts so a given-up try writes nothing late`,
    )
  }
}
