/**
 * An export still running when its process shut down (reported to `onExportError`): `closeOnSignals`
 * (or `stopExportSweep(store, { graceMs })`) waited `graceMs` for it, then gave it up:
 * `context.signal` aborted with this error and its claim was released, so another process (or
 * this one once restarted) exports the conversation again at once, as the same revision.
 */
export class ExportStoppedError extends Error {
  override readonly name = 'SmartsuppExportStoppedError'
  constructor(
    readonly conversationId: string,
    readonly graceMs: number,
  ) {
    super(
      `the export of conversation ${conversationId} was still running ${graceMs} ms after this process began to shut down: it was given up, context.signal aborted, and its claim released, so it is exported again at once by another process (or this one after its restart). Stop onConversationFinished when context.signal aborts, or give the shutdown a longer graceMs`,
    )
  }
}
