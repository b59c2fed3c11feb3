import { checkWebhookRequest } from '../receive/check-webhook-request.js'
import { contentCoding } from '../receive/content-coding.js'
import { receiveFailure } from '../receive/receive-failure.js'
import { internalError, type ReceiveOutcome, unsupportedEncoding } from '../receive/receive-outcome.js'
import { receiveReadWith } from '../receive/receive-read.js'
import { receiveWebhook, withEvent } from '../receive/receive-webhook.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../receive/webhook-receive-options.js'
import { USED_BODY_MESSAGE } from './fetch-used-body.js'
import { webInflates } from './inflate-web-body.js'
import { readWebBody } from './read-web-body.js'

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
 * undecodable body; 405, 413, 415; 500 + `onError` when a callback throws; 503 after `timeoutMs`.
 * Never rejects: `export const POST = createSmartsuppWebhookFetchHandler(options)` in Next.js.
 */
export function createSmartsuppWebhookFetchHandler(
  options: SmartsuppWebhookFetchOptions,
): (request: Request) => Promise<Response> {
  const resolved = resolveWebhookReceiveOptions(options)
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
  options: ResolvedWebhookReceiveOptions<Request>,
): Promise<Pick<ReceiveOutcome, 'status' | 'headers' | 'body'>> {
  const headers: Record<string, string> = Object.create(null)
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  const head = { method: request.method, url: request.url, headers, request }
  const early = checkWebhookRequest(head, options)
  if (early !== null) return early
  // gzip and deflate everywhere; br only where this runtime's DecompressionStream has it.
  if (!webInflates(contentCoding(headers) ?? 'identity')) return unsupportedEncoding
  if (request.bodyUsed || request.body?.locked === true) {
    const empty = { kind: 'bytes', bytes: new Uint8Array(0) } as const
    return withEvent(await receiveFailure(head, empty, new Error(USED_BODY_MESSAGE), options))
  }
  return receiveReadWith(head, await readWebBody(request, options.limit), options, receiveWebhook)
}

function respond(outcome: Pick<ReceiveOutcome, 'status' | 'headers' | 'body'>): Response {
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: outcome.headers })
}
