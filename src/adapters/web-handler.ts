import type { InflatedRead } from '../receive/body-read.js'
import { contentCoding } from '../receive/content-coding.js'
import type { ResolvedCallbacks } from '../receive/handle-decoded.js'
import { internalError, type ReceiveOutcome } from '../receive/receive-outcome.js'
import { type DeliveryKind, reportRefusal, unsupportedCoding } from '../receive/refusal.js'
import type { ReceivedRequest } from '../receive/request-context.js'
import { USED_BODY_MESSAGE } from './fetch-used-body.js'
import { webInflates } from './inflate-web-body.js'
import { readWebBody } from './read-web-body.js'

/** What a Fetch handler sends back: a status, headers and a JSON body. */
type Answer = Pick<ReceiveOutcome, 'status' | 'headers' | 'body'>

/** The options every Fetch handler needs here: the limit, and `onError` to report refusals. */
type WebOptions = { readonly limit: number } & Pick<ResolvedCallbacks<Request>, 'onError' | 'timeoutMs'>

/**
 * What the POST hook's and the webhooks' Fetch handlers differ in (internal): the words of their
 * messages, the checks made before the body is read, the answer to a body already used, and the
 * receiver of the bytes.
 */
export interface WebReceiver<Options extends WebOptions> {
  readonly kind: DeliveryKind
  check(head: ReceivedRequest<Request>, options: Options): Answer | null
  usedBody(head: ReceivedRequest<Request>, error: Error, options: Options): Promise<Answer>
  receive(head: ReceivedRequest<Request>, read: InflatedRead, options: Options): Promise<Answer>
}

/**
 * A `(request) => Promise<Response>` over resolved options: headers copied, the early checks,
 * `Content-Encoding` (gzip and deflate everywhere; br only where this runtime's
 * `DecompressionStream` has it), the body read within `limit`, then the receiver. A 413 or 415
 * is reported to `onError` (a `SmartsuppRefusedError`). Never rejects.
 */
export function createWebHandler<Options extends WebOptions>(
  receiver: WebReceiver<Options>,
  options: Options,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return respond(await receiveWebRequest(receiver, request, options))
    } catch {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      return respond(internalError)
    }
  }
}

async function receiveWebRequest<Options extends WebOptions>(
  receiver: WebReceiver<Options>,
  request: Request,
  options: Options,
): Promise<Answer> {
  const headers: Record<string, string> = Object.create(null)
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  const head = { method: request.method, url: request.url, headers, request }
  const early = receiver.check(head, options)
  if (early !== null) return reportRefusal(head, early, options)
  if (!webInflates(contentCoding(headers) ?? 'identity')) {
    return reportRefusal(head, unsupportedCoding(headers, receiver.kind, true), options)
  }
  if (request.bodyUsed || request.body?.locked === true) {
    return receiver.usedBody(head, new Error(USED_BODY_MESSAGE), options)
  }
  return receiver.receive(head, await readWebBody(request, options.limit), options)
}

function respond(outcome: Answer): Response {
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: outcome.headers })
}
