import type { DecodeFailure } from '../decode/decode-failure.js'
import { decodeReceived } from './decode-received.js'
import { handleDecoded } from './handle-decoded.js'
import type { ResolvedReceiveOptions } from './receive-options.js'
import type { ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'

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
  const { value, ...outcome } = await handleDecoded(
    context,
    result,
    options.onConversation,
    options,
    'conversation',
  )
  return { ...outcome, conversation: value }
}
