import { checkWebhookRequest } from '../receive/check-webhook-request.js'
import { signatureUnauthorized } from '../receive/receive-outcome.js'
import { receiveReadWith } from '../receive/receive-read.js'
import { receiveWebhook, withEvent } from '../receive/receive-webhook.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../receive/webhook-receive-options.js'
import { createWebHandler, type WebReceiver } from './web-handler.js'

/** Options of the Fetch webhook handler; callbacks get the Web `Request` as `context.request`. */
export type SmartsuppWebhookFetchOptions = WebhookReceiveOptions<Request>

const handlers = new WeakMap<SmartsuppWebhookFetchOptions, (request: Request) => Promise<Response>>()

/**
 * Receives one Smartsupp webhook as a Web `Request`: the one-call form of
 * `createSmartsuppWebhookFetchHandler` (options checked once per options object). Never rejects
 * for any request; a wrong option rejects with a `TypeError`.
 */
export async function handleSmartsuppWebhook(
  request: Request,
  options: SmartsuppWebhookFetchOptions,
): Promise<Response> {
  let handler = handlers.get(options)
  if (handler === undefined) {
    handler = createSmartsuppWebhookFetchHandler(options)
    handlers.set(options, handler)
  }
  return handler(request)
}

/**
 * Returns `(request) => Promise<Response>` that receives Smartsupp webhooks, options checked now
 * (a `TypeError`): 200 after `onEvent` resolves; 401 (no callback) for a missing or wrong
 * `X-Smartsupp-Hmac` or another `appId`; 400 + `onInvalid` (exact bytes) for an authentic but
 * undecodable body; 405; 413 and 415 (`onError` gets a `SmartsuppRefusedError`); 403 past
 * `maxEventAgeMs` (likewise); 500 + `onError` when a callback throws; 503 after `timeoutMs`.
 * Never rejects: `export const POST = createSmartsuppWebhookFetchHandler(options)` in Next.js.
 */
export function createSmartsuppWebhookFetchHandler(
  options: SmartsuppWebhookFetchOptions,
): (request: Request) => Promise<Response> {
  return createWebHandler(webhookReceiver, resolveWebhookReceiveOptions(options))
}

let warnedUsedBody = false

const webhookReceiver: WebReceiver<ResolvedWebhookReceiveOptions<Request>> = {
  kind: 'webhook',
  check: checkWebhookRequest,
  // No bytes to verify: 401 like any unverifiable body (no callback), and the fix in the log, once.
  usedBody: async (_head, error) => {
    if (!warnedUsedBody) {
      warnedUsedBody = true
      console.warn(error.message)
    }
    return withEvent(signatureUnauthorized)
  },
  receive: (head, read, options) => receiveReadWith(head, read, options, receiveWebhook, 'webhook'),
}
