import type { DecodeFailure } from '../decode/decode-failure.js'
import { startDeadline, TIMED_OUT } from './deadline.js'
import { decodeReceived } from './decode-received.js'
import { invalidAnswer } from './invalid-answer.js'
import type { ResolvedReceiveOptions } from './receive-options.js'
import { jsonHeaders, type ReceiveOutcome, timedOut } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'
import { SmartsuppTimeoutError } from './smartsupp-timeout-error.js'

/**
 * Decodes a body that passed `checkRequest` and runs the callbacks: decoded → `onConversation`
 * (awaited) → 200; not decodable → `onInvalid` with the raw bytes → 400 `{ error, issues }` (or
 * what it returned, if its status is an integer 200–599); a callback throws or returns a bad
 * reply → `onError` → 500; the callbacks take longer than `timeoutMs` → 503 and `onError` with a
 * `SmartsuppTimeoutError` (not awaited). `failure`, when given, is used instead of decoding (a
 * body that could not be inflated). Never rejects.
 */
export async function receiveBody<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  options: ResolvedReceiveOptions<Req>,
  failure?: DecodeFailure,
): Promise<ReceiveOutcome> {
  const context = new RequestContext(req, body, new Date())
  const result =
    failure === undefined ? decodeReceived(body, options.decode) : ({ _tag: 'Left', left: failure } as const)
  const deadline = startDeadline(options.timeoutMs)
  const lateError = () => {
    // The callback that hung may hang again: onError is called, not awaited, and its failure ignored.
    Promise.resolve()
      .then(() => options.onError(new SmartsuppTimeoutError(options.timeoutMs), context))
      .catch(() => {})
    return timedOut(options.timeoutMs)
  }
  try {
    if (result._tag === 'Right') {
      const done = await deadline.race(() => options.onConversation(result.right, context))
      if (done === TIMED_OUT) return { ...lateError(), conversation: result.right }
      return {
        status: 200,
        headers: jsonHeaders,
        body: { ok: true },
        result: 'delivered',
        conversation: result.right,
        failure: null,
      }
    }
    const reply = await deadline.race(() => options.onInvalid(result.left, context.rawBody, context))
    if (reply === TIMED_OUT) return { ...lateError(), failure: result.left }
    const answer = invalidAnswer(result.left, reply)
    return {
      status: answer.status,
      headers: jsonHeaders,
      body: answer.body,
      result: 'invalid',
      conversation: null,
      failure: result.left,
    }
  } catch (error) {
    // onError is awaited within what is left of the deadline; past it, 500 is answered anyway.
    await deadline.race(() => options.onError(error, context)).catch(() => {})
    return {
      status: 500,
      headers: jsonHeaders,
      body: { error: 'The receiver failed while handling this conversation' },
      result: 'failed',
      conversation: result._tag === 'Right' ? result.right : null,
      failure: result._tag === 'Left' ? result.left : null,
    }
  } finally {
    deadline.clear()
  }
}
