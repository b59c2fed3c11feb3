import type { ErrorRequestHandler, RequestHandler } from 'express'
import { checkWebhookRequest } from '../receive/check-webhook-request.js'
import { internalError, signatureUnauthorized } from '../receive/receive-outcome.js'
import { receiveReadWith } from '../receive/receive-read.js'
import { receiveWebhook, withEvent } from '../receive/receive-webhook.js'
import { reportRefusal } from '../receive/refusal.js'
import { viewBytes } from '../receive/view-bytes.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../receive/webhook-receive-options.js'
import { type BodyParserError, bodyParserError } from './body-parser-error.js'
import type { SmartsuppHookRequest } from './express.js'
import {
  CONSUMED_BODY_MESSAGE,
  expressBody,
  FORM_BODY_MESSAGE,
  type ParsedRequest,
  parserRefusal,
} from './express-body.js'
import { readNodeRequest } from './read-node-body.js'
import { sendNodeResponse } from './send-node-response.js'

/** Options of `smartsuppWebhook`; callbacks get Express's `Request` (with `body: unknown`) as `context.request`. */
export interface SmartsuppWebhookOptions extends WebhookReceiveOptions<SmartsuppHookRequest> {
  /**
   * Whether to `console.warn` once (per handler) when a delivery arrives already read by a body
   * parser, naming the fix. Default `true`; `false` silences it.
   */
  readonly warnParsedBody?: boolean
}

/**
 * The handler `smartsuppWebhook` returns: an Express `RequestHandler`, plus `bodyParserErrors`, an
 * error-handling middleware for apps whose global `express.json()` runs first. Mount both on the
 * receiver's path with `app.use(path, receiver, receiver.bodyParserErrors)`.
 */
export interface SmartsuppWebhookHandler extends RequestHandler {
  /**
   * Catches what a body parser refused on the receiver's path (Express hands errors only to
   * `app.use` middleware): malformed JSON is verified over the text body-parser kept and, when
   * authentic, reaches `onInvalid` (401 otherwise, no callback); an over-size, unsupported-charset
   * or unreadable body is answered 413/415/400 as JSON, naming whose limit applied, and `onError`
   * gets a `SmartsuppRefusedError` (`refusedBy: 'body_parser'`) naming the fix. Any other error is
   * passed on with `next(err)`.
   */
  readonly bodyParserErrors: ErrorRequestHandler
}

/** Warned once per handler when a webhook arrives already read by a body parser. */
export const PARSED_WEBHOOK_WARNING =
  'smartsupp-hook: a webhook reached smartsuppWebhook() after express.json() (or another body parser) had read it, so the exact bytes its X-Smartsupp-Hmac signs are gone; it can only be verified if re-serialising the parsed body gives the same bytes, and otherwise is answered 401 (no callback), as any body that cannot be verified. Fix: mount the receiver before the body parser, app.use(path, smartsuppWebhook(options)) above app.use(express.json()); or keep the bytes with express.json({ verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf } }). Silence this warning with { warnParsedBody: false }.'

const PARSED_WEBHOOK_NOTE =
  'req.body was already read by a body parser before smartsuppWebhook(), so rawBody is rebuilt from it (JSON.stringify for a parsed body), not the bytes Smartsupp signed. Mount smartsuppWebhook() before express.json(), or keep req.rawBody with its verify hook.'

/**
 * Returns an Express 4 or 5 `RequestHandler` that receives Smartsupp webhooks: 200 once `onEvent`
 * resolves; 401 (no callback) for a missing or wrong `X-Smartsupp-Hmac` or another `appId`; 400 +
 * `onInvalid` (exact bytes) for an authentic but undecodable body; 405; 413 and 415 (`onError`
 * gets a `SmartsuppRefusedError`); 403 past `maxEventAgeMs` (likewise); 500 + `onError` when a
 * callback throws; 503 after `timeoutMs`; errors as JSON `{ error, issues? }`. Mount it
 * before `express.json()` with `app.use(path, hook)`; behind a parser it uses `req.rawBody`
 * (a Buffer) when a `verify` hook kept it, and otherwise answers 401 (warning once, naming the
 * fix) unless the re-serialised body still matches the signature; mount its `bodyParserErrors`
 * too so what the parser refuses is answered and reported. Options are checked here, once (a `TypeError`).
 */
export function smartsuppWebhook(options: SmartsuppWebhookOptions): SmartsuppWebhookHandler {
  const resolved = resolveWebhookReceiveOptions(options)
  let warn = options.warnParsedBody !== false
  // One warning per handler about how it is mounted: a log line, not a callback, since an
  // unverified request must reach none of the host's code.
  const warnOnce = (message: string) => {
    if (!warn) return
    warn = false
    console.warn(message)
  }
  const fail = (res: Parameters<RequestHandler>[1]) => () => {
    // Only a bug in this package can land here: answer 500 without echoing its text.
    sendNodeResponse(res, internalError)
  }
  // Returns the work's promise (which never rejects): Express 5 awaits it, Express 4 ignores it.
  const handler: RequestHandler = (req, res) =>
    handleExpressWebhook(req, res, resolved, warnOnce).catch(fail(res))
  const bodyParserErrors: ErrorRequestHandler = (error, req, res, next) => {
    const refused = bodyParserError(error)
    if (refused === null) return next(error)
    return handleRefusedWebhook(req, res, refused, resolved, warnOnce).catch(fail(res))
  }
  return Object.assign(handler, { bodyParserErrors })
}

function webhookHead(req: SmartsuppHookRequest) {
  // originalUrl keeps the full path when the handler is mounted under a prefix.
  return { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers, request: req }
}

async function handleExpressWebhook(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  options: ResolvedWebhookReceiveOptions<SmartsuppHookRequest>,
  warnOnce: (message: string) => void,
): Promise<void> {
  const head = webhookHead(req)
  const early = checkWebhookRequest(head, options)
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  const found = expressBody(req as ParsedRequest)
  if (found.kind === 'stream') {
    const read = await readNodeRequest(req, options.limit)
    return sendNodeResponse(res, await receiveReadWith(head, read, options, receiveWebhook, 'webhook'))
  }
  if (found.kind === 'consumed' || found.kind === 'form') {
    // No bytes to verify: 401 like any unverifiable body, and the fix in the log.
    const message = (found.kind === 'form' ? FORM_BODY_MESSAGE : CONSUMED_BODY_MESSAGE).replaceAll(
      'smartsuppHook(',
      'smartsuppWebhook(',
    )
    warnOnce(message)
    return sendNodeResponse(res, withEvent(signatureUnauthorized))
  }
  if (found.body.kind !== 'bytes') warnOnce(PARSED_WEBHOOK_WARNING)
  const bodyNote = found.body.kind === 'bytes' ? null : PARSED_WEBHOOK_NOTE
  sendNodeResponse(res, await receiveWebhook({ ...head, bodyNote }, found.body, options))
}

async function handleRefusedWebhook(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  refused: BodyParserError,
  options: ResolvedWebhookReceiveOptions<SmartsuppHookRequest>,
  warnOnce: (message: string) => void,
): Promise<void> {
  const head = webhookHead(req)
  // Method and signature header first, as for any delivery (the declared size was the parser's call).
  const early = checkWebhookRequest(
    { ...head, headers: { ...head.headers, 'content-length': undefined } },
    options,
  )
  if (early !== null) return sendNodeResponse(res, await reportRefusal(head, early, options))
  warnOnce(PARSED_WEBHOOK_WARNING)
  if (refused.reason === 'parse') {
    // Malformed JSON: verified over what body-parser kept (the verify hook's exact bytes, else its
    // text), so an authentic one still reaches onInvalid (or the store, as poisoned).
    const kept = viewBytes((req as ParsedRequest).rawBody)
    const body =
      kept !== null
        ? ({ kind: 'bytes', bytes: kept } as const)
        : ({ kind: 'text', text: refused.text ?? '' } as const)
    const bodyNote = kept !== null ? null : PARSED_WEBHOOK_NOTE
    return sendNodeResponse(res, await receiveWebhook({ ...head, bodyNote }, body, options))
  }
  // body-parser kept no bytes of these: onError hears of it (nothing of the body reaches it).
  const refusal = parserRefusal(refused, 'webhook', 'smartsuppWebhook', options.limit)
  sendNodeResponse(res, await reportRefusal(head, refusal, options))
}
