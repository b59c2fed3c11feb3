import { decodeConversation } from '../decode/decode-conversation.js'
import type { DecodeFailure } from '../decode/decode-failure.js'
import { parseConversation } from '../decode/parse-conversation.js'
import type { ResolvedReceiveOptions } from './receive-options.js'
import { jsonHeaders, type ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

function errorBody(failure: DecodeFailure) {
  return { error: failure.message, issues: failure.issues }
}

/**
 * Decodes a body that passed `checkRequest` and runs the callbacks: decoded → `onConversation`
 * (awaited) → 200; not decodable → `onInvalid` with the raw bytes → 400 `{ error, issues }` (or
 * what it returned); a callback throws → `onError` → 500. Never rejects.
 */
export async function receiveBody<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  options: ResolvedReceiveOptions<Req>,
): Promise<ReceiveOutcome> {
  const context = new RequestContext(req, body, new Date())
  const result =
    body.kind === 'bytes'
      ? parseConversation(body.bytes, options.decode)
      : body.kind === 'text'
        ? parseConversation(body.text, options.decode)
        : decodeConversation(body.value, options.decode)
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
    const reply = await options.onInvalid(failure, context.rawBody, context)
    return {
      status: reply ? reply.status : 400,
      headers: jsonHeaders,
      body: reply && reply.body !== undefined ? reply.body : errorBody(failure),
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
