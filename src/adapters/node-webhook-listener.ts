import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkWebhookRequest } from '../receive/check-webhook-request.js'
import { internalError } from '../receive/receive-outcome.js'
import { receiveReadWith } from '../receive/receive-read.js'
import { receiveWebhook } from '../receive/receive-webhook.js'
import { reportRefusal } from '../receive/refusal.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../receive/webhook-receive-options.js'
import { readNodeRequest } from './read-node-body.js'
import { sendNodeResponse } from './send-node-response.js'

/** Options of `createSmartsuppWebhookListener`; callbacks get the `IncomingMessage` as `context.request`. */
export type SmartsuppWebhookListenerOptions = WebhookReceiveOptions<IncomingMessage>

/**
 * Returns a `(req, res) => void` listener that receives Smartsupp webhooks: 200 after `onEvent`
 * resolves; 401 (no callback) for a missing or wrong `X-Smartsupp-Hmac` or another `appId`; 400 +
 * `onInvalid` (exact bytes) for an authentic but undecodable body; 405; 413 and 415 (`onError` gets
 * a `SmartsuppRefusedError`); 403 past `maxEventAgeMs` (likewise); 500 + `onError`
 * when a callback throws; 503 after `timeoutMs`; every error as JSON `{ error, issues? }`. It reads
 * the body itself, so nothing may read it first. Options are checked here, once (a `TypeError`).
 */
export function createSmartsuppWebhookListener(
  options: SmartsuppWebhookListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveWebhookReceiveOptions(options)
  // The work's promise (which never rejects) is returned for hosts that await it; the type stays `void`.
  return (req, res) =>
    handleNodeWebhook(req, res, resolved).catch(() => {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      sendNodeResponse(res, internalError)
    })
}

async function handleNodeWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  options: ResolvedWebhookReceiveOptions<IncomingMessage>,
): Promise<void> {
  const head = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, request: req }
  const early = checkWebhookRequest(head, options)
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  const read = await readNodeRequest(req, options.limit)
  sendNodeResponse(res, await receiveReadWith(head, read, options, receiveWebhook, 'webhook'))
}
