/**
 * `smartsupp-hook/fetch`: Smartsupp's POST hook and webhooks on the Fetch API (`Request` in, `Response` out)
 * for Next.js route handlers, Hono, Bun, Deno and Cloudflare Workers. Nothing on this path
 * imports a `node:` module.
 */
import { checkRequest } from '../receive/check-request.js'
import { contentCoding } from '../receive/content-coding.js'
import { receiveFailure } from '../receive/receive-failure.js'
import {
  type ReceiveOptions,
  type ResolvedReceiveOptions,
  resolveReceiveOptions,
} from '../receive/receive-options.js'
import { internalError, type ReceiveOutcome, unsupportedEncoding } from '../receive/receive-outcome.js'
import { receiveRead } from '../receive/receive-read.js'
import { USED_BODY_MESSAGE } from './fetch-used-body.js'
import { webInflates } from './inflate-web-body.js'
import { readWebBody } from './read-web-body.js'

export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply } from '../receive/receive-options.js'
export type { ReceiveOutcome, ResponseBody, WebhookReceiveOutcome } from '../receive/receive-outcome.js'
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
 * `onInvalid` (raw bytes) for an undecodable body, 401, 405, 413, 415, 500 or 503 (after
 * `timeoutMs`), errors as JSON `{ error, issues? }`. Never rejects for any
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
  const resolved = resolveReceiveOptions(options)
  return async (request) => {
    try {
      return respond(await receiveWebRequest(request, resolved))
    } catch {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      return respond(internalError)
    }
  }
}

async function receiveWebRequest(
  request: Request,
  options: ResolvedReceiveOptions<Request>,
): Promise<ReceiveOutcome> {
  const headers: Record<string, string> = Object.create(null)
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  const head = { method: request.method, url: request.url, headers, request }
  const early = checkRequest(head, options)
  if (early !== null) return early
  // gzip and deflate everywhere; br only where this runtime's DecompressionStream has it.
  if (!webInflates(contentCoding(headers) ?? 'identity')) return unsupportedEncoding
  if (request.bodyUsed || request.body?.locked === true) {
    const empty = { kind: 'bytes', bytes: new Uint8Array(0) } as const
    return receiveFailure(head, empty, new Error(USED_BODY_MESSAGE), options)
  }
  return receiveRead(head, await readWebBody(request, options.limit), options)
}

function respond(outcome: ReceiveOutcome): Response {
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: outcome.headers })
}
