/**
 * `smartsupp-hook/fetch`: Smartsupp's POST hook on the Fetch API (`Request` in, `Response` out)
 * for Next.js route handlers, Hono, Bun, Deno and Cloudflare Workers. Nothing on this path
 * imports a `node:` module.
 */
import { unreadOutcome } from '../receive/body-read.js'
import { checkRequest } from '../receive/check-request.js'
import { receiveBody } from '../receive/receive-body.js'
import type { RequestHeaders } from '../receive/receive-context.js'
import {
  type ReceiveOptions,
  type ResolvedReceiveOptions,
  resolveReceiveOptions,
} from '../receive/receive-options.js'
import type { ReceiveOutcome } from '../receive/receive-outcome.js'
import { readWebBody } from './read-web-body.js'

export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply } from '../receive/receive-options.js'
export type { ReceiveOutcome, ResponseBody } from '../receive/receive-outcome.js'

/** Options of the Fetch handler; callbacks get the Web `Request` as `context.request`. */
export type SmartsuppFetchOptions = ReceiveOptions<Request>

const resolvedCache = new WeakMap<SmartsuppFetchOptions, ResolvedReceiveOptions<Request>>()

/**
 * Answers one delivery of Smartsupp's POST hook: 200 once `onConversation` resolves, 400 +
 * `onInvalid` (raw bytes) for an undecodable body, 401, 405, 413 or 500. Never rejects for a bad
 * request; a wrong option throws a `TypeError` (checked once per options object).
 */
export async function handleSmartsuppRequest(
  request: Request,
  options: SmartsuppFetchOptions,
): Promise<Response> {
  let resolved = resolvedCache.get(options)
  if (resolved === undefined) {
    resolved = resolveReceiveOptions(options)
    resolvedCache.set(options, resolved)
  }
  return respond(await receiveWebRequest(request, resolved))
}

/**
 * Returns `(request) => Promise<Response>`, options checked now: `export const POST =
 * createSmartsuppFetchHandler(options)` in a Next.js route, `app.post(path, (c) => handler(c.req.raw))` in Hono.
 */
export function createSmartsuppFetchHandler(
  options: SmartsuppFetchOptions,
): (request: Request) => Promise<Response> {
  const resolved = resolveReceiveOptions(options)
  return async (request) => respond(await receiveWebRequest(request, resolved))
}

async function receiveWebRequest(
  request: Request,
  options: ResolvedReceiveOptions<Request>,
): Promise<ReceiveOutcome> {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  const head = { method: request.method, url: request.url, headers: headers as RequestHeaders, request }
  const early = checkRequest(head, options)
  if (early !== null) return early
  const read = await readWebBody(request, options.limit)
  if (read.kind !== 'body') return unreadOutcome(read, options.limit)
  return receiveBody(head, { kind: 'bytes', bytes: read.bytes }, options)
}

function respond(outcome: ReceiveOutcome): Response {
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: outcome.headers })
}
