import { decodeReceived } from './decode-received.js'
import { invalidAnswer } from './invalid-answer.js'
import type { ResolvedReceiveOptions } from './receive-options.js'
import { jsonHeaders, type ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

/**
 * Decodes a body that passed `checkRequest` and runs the callbacks: decoded → `onConversation`
 * (awaited) → 200; not decodable → `onInvalid` with the raw bytes → 400 `{ error, issues }` (or
 * what it returned, if its status is an integer 200–599); a callback throws or returns a bad
 * reply → `onError` → 500. Never rejects.
 */
export async function receiveBody<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  options: ResolvedReceiveOptions<Req>,
): Promise<ReceiveOutcome> {
  const context = new RequestContext(req, body, new Date())
  const result = decodeReceived(body, options.decode)
  try {
    if (result._tag === 'Right') {
      await options.onConversation(result.right, context)
      return {
        status: 200,
        headers: jsonHeaders,
        body: { ok: true },
        result: 'delivered',
        conversation: result.right,
        failure: null,
      }
    }
    const failure = result.left
    const answer = invalidAnswer(failure, await options.onInvalid(failure, context.rawBody, context))
    return {
      status: answer.status,
      headers: jsonHeaders,
      body: answer.body,
      result: 'invalid',
      conversation: null,
      failure,
    }
  } catch (error) {
    try {
      await options.onError(error, context)
    } catch {
      // onError itself failed: nothing more can be done than answering 500.
    }
    return {
      status: 500,
      headers: jsonHeaders,
      body: { error: 'The receiver failed while handling this conversation' },
      result: 'failed',
      conversation: result._tag === 'Right' ? result.right : null,
      failure: result._tag === 'Left' ? result.left : null,
    }
  }
}
