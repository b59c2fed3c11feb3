import { startDeadline } from './deadline.js'
import type { ResolvedCallbacks } from './handle-decoded.js'
import { jsonHeaders, type ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

/** The body of a 500 for a request the adapter could not hand over: no internal text reaches the sender. */
export const UNREADABLE_BODY_ERROR = 'The receiver could not read the request body'

/**
 * Answers 500 for a request the adapter could not hand over (e.g. a body consumed by earlier
 * middleware): `onError` receives `error`, whose message names the fix, and the context (awaited
 * at most `timeoutMs`); the sender gets only the generic `UNREADABLE_BODY_ERROR`, since the fix
 * is about the app's middleware order, not about the delivery.
 */
export async function receiveFailure<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  error: Error,
  options: Pick<ResolvedCallbacks<Req>, 'onError' | 'timeoutMs'>,
): Promise<ReceiveOutcome> {
  const deadline = startDeadline(options.timeoutMs)
  try {
    await deadline.race(() => options.onError(error, new RequestContext(req, body, new Date())))
  } catch {
    // onError itself failed: answering is all that is left.
  } finally {
    deadline.clear()
  }
  return {
    status: 500,
    headers: jsonHeaders,
    body: { error: UNREADABLE_BODY_ERROR },
    result: 'failed',
    conversation: null,
    failure: null,
  }
}
