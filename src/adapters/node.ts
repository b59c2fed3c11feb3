/**
 * `smartsupp-hook/node`: listeners for `http.createServer` (or any framework that hands over
 * Node's `IncomingMessage` and `ServerResponse`), one for the POST hook and one for webhooks.
 * They read the body themselves, so nothing may read it first.
 *
 * @module smartsupp-hook/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkRequest } from '../receive/check-request.js'
import {
  type ReceiveOptions,
  type ResolvedReceiveOptions,
  resolveReceiveOptions,
} from '../receive/receive-options.js'
import { internalError } from '../receive/receive-outcome.js'
import { receiveRead } from '../receive/receive-read.js'
import { reportRefusal } from '../receive/refusal.js'
import { readNodeRequest } from './read-node-body.js'
import { sendNodeResponse } from './send-node-response.js'

export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply, OnInvalid, ReceiveOptions } from '../receive/receive-options.js'
export type { ReceiveOutcome, ResponseBody, WebhookReceiveOutcome } from '../receive/receive-outcome.js'
export {
  type RefusalDetails,
  type RefusalReason,
  type RefusedBy,
  SmartsuppRefusedError,
} from '../receive/smartsupp-refused-error.js'
export { SmartsuppTimeoutError } from '../receive/smartsupp-timeout-error.js'
export type { WebhookReceiveOptions } from '../receive/webhook-receive-options.js'
export {
  createSmartsuppWebhookListener,
  type SmartsuppWebhookListenerOptions,
} from './node-webhook-listener.js'

/** Options of `createSmartsuppListener`; callbacks get the `IncomingMessage` as `context.request`. */
export type SmartsuppListenerOptions = ReceiveOptions<IncomingMessage>

/**
 * Returns a `(req, res) => void` listener that answers Smartsupp's POST hook: 200 after
 * `onConversation` resolves, 400 + `onInvalid` for an undecodable body, 401, 405, 413 and 415
 * (`onError` gets a `SmartsuppRefusedError`), 500, or 503 after `timeoutMs`; every error as JSON
 * `{ error, issues? }`.
 * Options are checked here, once: a wrong option throws a `TypeError`.
 */
export function createSmartsuppListener(
  options: SmartsuppListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveReceiveOptions(options)
  // The work's promise (which never rejects) is returned for hosts that await it; the type stays `void`.
  return (req, res) =>
    handleNodeRequest(req, res, resolved).catch(() => {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      sendNodeResponse(res, internalError)
    })
}

async function handleNodeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: ResolvedReceiveOptions<IncomingMessage>,
): Promise<void> {
  const head = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, request: req }
  const early = checkRequest(head, options)
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  sendNodeResponse(res, await receiveRead(head, await readNodeRequest(req, options.limit), options))
}
