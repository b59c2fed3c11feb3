/**
 * `smartsupp-hook/express`: Express 4 or 5 request handlers for Smartsupp's POST hook
 * (`smartsuppHook`) and webhooks (`smartsuppWebhook`). The POST hook's works
 * whether or not `express.json()`, `express.raw()` or `express.text()` ran before it; mounted
 * before them it keeps the exact bytes; `unlessPath(path, express.json())` keeps a global parser
 * off the hook's path, and the `bodyParserErrors` companion catches what a global parser refused. Imports Express as a type only.
 *
 * @module smartsupp-hook/express
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { checkRequest } from '../receive/check-request.js'
import { receiveBody } from '../receive/receive-body.js'
import { receiveFailure } from '../receive/receive-failure.js'
import {
  type ReceiveOptions,
  type ResolvedReceiveOptions,
  resolveReceiveOptions,
} from '../receive/receive-options.js'
import { internalError } from '../receive/receive-outcome.js'
import { receiveRead } from '../receive/receive-read.js'
import { NO_BODY } from '../receive/received-body.js'
import { reportRefusal } from '../receive/refusal.js'
import { viewBytes } from '../receive/view-bytes.js'
import { type BodyParserError, bodyParserError } from './body-parser-error.js'
import {
  CONSUMED_BODY_MESSAGE,
  expressBody,
  FORM_BODY_MESSAGE,
  PARSED_BODY_NOTE,
  PARSED_BODY_WARNING,
  type ParsedRequest,
  parserRefusal,
  TEXT_BODY_NOTE,
} from './express-body.js'
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
  PARSED_WEBHOOK_WARNING,
  type SmartsuppWebhookHandler,
  type SmartsuppWebhookOptions,
  smartsuppWebhook,
} from './express-webhook.js'
export { unlessPath } from './unless-path.js'

/**
 * Express's `Request` as callbacks see it: `body` (and `res.locals`) are `unknown`, never `any`,
 * since the hook may run before any body parser.
 */
export type SmartsuppHookRequest = Request<
  Request['params'],
  unknown,
  unknown,
  Request['query'],
  Record<string, unknown>
>

/** Options of `smartsuppHook`; callbacks get Express's `Request` as `context.request`. */
export interface SmartsuppHookOptions extends ReceiveOptions<SmartsuppHookRequest> {
  /**
   * Whether to `console.warn` once (per handler) when a delivery arrives already parsed by a
   * body parser or a body parser refused it, naming the fix. Default `true`; `false` silences it.
   */
  readonly warnParsedBody?: boolean
}

/**
 * The handler `smartsuppHook` returns: an Express `RequestHandler`, plus `bodyParserErrors`, an
 * error-handling middleware for apps whose global `express.json()` runs first. Mount both on the
 * hook's path with `app.use(path, hook, hook.bodyParserErrors)`.
 */
export interface SmartsuppHookHandler extends RequestHandler {
  /**
   * Catches what a body parser refused on the hook's path (Express only hands errors to
   * `app.use` middleware, never to an `app.post` route): malformed JSON reaches `onInvalid` with
   * the text body-parser kept (400); an over-size, unsupported-charset or undecodable body is
   * answered 413/415/400 as JSON, naming whose limit applied, and `onError` gets a
   * `SmartsuppRefusedError` (`refusedBy: 'body_parser'`) naming the fix, since body-parser kept no
   * bytes of it. Any other error is passed on with `next(err)`.
   */
  readonly bodyParserErrors: ErrorRequestHandler
}

/**
 * Returns an Express `RequestHandler` that answers Smartsupp's POST hook: 200 once
 * `onConversation` resolves, 400 + `onInvalid` (raw bytes) for an undecodable body, 401, 405,
 * 413 and 415 (`onError` gets a `SmartsuppRefusedError`), 500, or 503 after `timeoutMs`; every
 * error as JSON `{ error, issues? }`. Mount it with
 * `app.use(path, hook)` (or `app.all`) so other methods get 405. Options are checked here, once:
 * a wrong option throws a `TypeError`.
 */
export function smartsuppHook(options: SmartsuppHookOptions): SmartsuppHookHandler {
  const resolved = resolveReceiveOptions(options)
  let warn = options.warnParsedBody !== false
  const warnOnce = () => {
    if (!warn) return
    warn = false
    console.warn(PARSED_BODY_WARNING)
  }
  const fail = (res: Parameters<RequestHandler>[1]) => () => {
    // Only a bug in this package can land here: answer 500 without echoing its text.
    sendNodeResponse(res, internalError)
  }
  // Returns the work's promise (which never rejects): Express 5 awaits it, Express 4 ignores it.
  const handler: RequestHandler = (req, res) =>
    handleExpressRequest(req, res, resolved, warnOnce).catch(fail(res))
  const bodyParserErrors: ErrorRequestHandler = (error, req, res, next) => {
    const refused = bodyParserError(error)
    if (refused === null) return next(error)
    return handleRefusedBody(req, res, refused, resolved, warnOnce).catch(fail(res))
  }
  return Object.assign(handler, { bodyParserErrors })
}

function requestHead(req: SmartsuppHookRequest) {
  // originalUrl keeps the full path (and the token in it) when the handler is mounted under a prefix.
  return { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers, request: req }
}

async function handleExpressRequest(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  options: ResolvedReceiveOptions<SmartsuppHookRequest>,
  warnOnce: () => void,
): Promise<void> {
  const head = requestHead(req)
  const early = checkRequest(head, options)
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  const found = expressBody(req as ParsedRequest)
  if (found.kind === 'stream') {
    return sendNodeResponse(res, await receiveRead(head, await readNodeRequest(req, options.limit), options))
  }
  if (found.kind === 'consumed' || found.kind === 'form') {
    const error = new Error(found.kind === 'form' ? FORM_BODY_MESSAGE : CONSUMED_BODY_MESSAGE)
    return sendNodeResponse(res, await receiveFailure(head, NO_BODY, error, options))
  }
  const body = found.body
  if (body.kind !== 'bytes') warnOnce()
  const bodyNote = body.kind === 'parsed' ? PARSED_BODY_NOTE : body.kind === 'text' ? TEXT_BODY_NOTE : null
  sendNodeResponse(res, await receiveBody({ ...head, bodyNote }, body, options))
}

async function handleRefusedBody(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  refused: BodyParserError,
  options: ResolvedReceiveOptions<SmartsuppHookRequest>,
  warnOnce: () => void,
): Promise<void> {
  const head = requestHead(req)
  // Method and token first, as for any delivery: nothing reaches a callback without the token.
  // (An unknown Content-Encoding is refused here as on any delivery: 415, and onError is told once.)
  const early = checkRequest({ ...head, headers: { ...head.headers, 'content-length': undefined } }, options)
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  warnOnce()
  const kept = viewBytes((req as ParsedRequest).rawBody)
  if (refused.reason === 'parse') {
    // A verify callback's bytes are exact; otherwise the text body-parser decoded is what is left.
    const body =
      kept !== null
        ? ({ kind: 'bytes', bytes: kept } as const)
        : ({ kind: 'text', text: refused.text ?? '' } as const)
    return sendNodeResponse(res, await receiveBody({ ...head, bodyNote: PARSED_BODY_NOTE }, body, options))
  }
  // body-parser kept no bytes of these: onError hears of it, so no delivery is lost unnoticed.
  const refusal = parserRefusal(refused, 'POST hook', 'smartsuppHook', options.limit)
  sendNodeResponse(res, await reportRefusal(head, refusal, options))
}
