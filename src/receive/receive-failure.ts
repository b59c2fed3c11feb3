import { startDeadline } from './deadline.js'
import type { ResolvedCallbacks } from './handle-decoded.js'
import { jsonHeaders, type ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

/**
 * Answers 500 for a request the adapter could not hand over (e.g. a body consumed by earlier
 * middleware): `onError` receives `error` and the context (awaited at most `timeoutMs`), and the
 * message, which is this package's own text naming the fix, reaches the client.
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
    body: { error: error.message },
    result: 'failed',
    conversation: null,
    failure: null,
  }
}
