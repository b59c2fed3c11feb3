import type { ResolvedReceiveOptions } from './receive-options.js'
import { jsonHeaders, type ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

/**
 * Answers 500 for a request the adapter could not hand over (e.g. a body consumed by earlier
 * middleware): `onError` receives `error` and the context, and the message reaches the client.
 */
export async function receiveFailure<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  error: Error,
  options: ResolvedReceiveOptions<Req>,
): Promise<ReceiveOutcome> {
  try {
    await options.onError(error, new RequestContext(req, body, new Date()))
  } catch {
    // onError itself failed: answering 500 is all that is left.
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
