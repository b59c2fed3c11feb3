/**
 * `smartsupp-hook/fetch`: Smartsupp's POST hook and webhooks on the Fetch API (`Request` in, `Response` out)
 * for Next.js route handlers, Hono, Bun, Deno and Cloudflare Workers. Nothing on this path
 * imports a `node:` module.
 *
 * @module smartsupp-hook/fetch
 */
import { checkRequest } from '../receive/check-request.js'
import { receiveFailure } from '../receive/receive-failure.js'
import {
  type ReceiveOptions,
  type ResolvedReceiveOptions,
  resolveReceiveOptions,
} from '../receive/receive-options.js'
import { receiveRead } from '../receive/receive-read.js'
import { NO_BODY } from '../receive/received-body.js'
import { createWebHandler, type WebReceiver } from './web-handler.js'

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
export { USED_BODY_MESSAGE } from './fetch-used-body.js'
export {
  createSmartsuppWebhookFetchHandler,
  handleSmartsuppWebhook,
  type SmartsuppWebhookFetchOptions,
} from './fetch-webhook-handler.js'

/** Options of the Fetch handler; callbacks get the Web `Request` as `context.request`. */
export type SmartsuppFetchOptions = ReceiveOptions<Request>

const handlers = new WeakMap<SmartsuppFetchOptions, (request: Request) => Promise<Response>>()

/**
 * Answers one delivery of Smartsupp's POST hook: 200 once `onConversation` resolves, 400 +
 * `onInvalid` (raw bytes) for an undecodable body, 401, 405, 413 and 415 (`onError` gets a
 * `SmartsuppRefusedError`), 500 or 503 (after `timeoutMs`), errors as JSON `{ error, issues? }`. Never rejects for any
 * request; a wrong option throws a `TypeError` (checked once per options object).
 */
export async function handleSmartsuppRequest(
  request: Request,
  options: SmartsuppFetchOptions,
): Promise<Response> {
  let handler = handlers.get(options)
  if (handler === undefined) {
    handler = createSmartsuppFetchHandler(options)
    handlers.set(options, handler)
  }
  return handler(request)
}

/**
 * Returns `(request) => Promise<Response>`, options checked now (a `TypeError`); the handler
 * never rejects: `export const POST = createSmartsuppFetchHandler(options)` in a Next.js route,
 * `app.post(path, (c) => handler(c.req.raw))` in Hono.
 */
export function createSmartsuppFetchHandler(
  options: SmartsuppFetchOptions,
): (request: Request) => Promise<Response> {
  return createWebHandler(postHookReceiver, resolveReceiveOptions(options))
}

const postHookReceiver: WebReceiver<ResolvedReceiveOptions<Request>> = {
  kind: 'POST hook',
  check: checkRequest,
  usedBody: (head, error, options) => receiveFailure(head, NO_BODY, error, options),
  receive: receiveRead,
}
