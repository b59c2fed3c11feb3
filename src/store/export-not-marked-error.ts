/**
 * `onConversationFinished` succeeded but the store failed to record it (reported to `onError`):
 * the claim's lease then runs out and the conversation is exported again, one of the two
 * documented cases of a second call for one revision.
 */
export class ExportNotMarkedError extends Error {
  override readonly name = 'SmartsuppExportNotMarkedError'
}
