import type { RequestHandler } from 'express'
import { checkWebhookRequest } from '../receive/check-webhook-request.js'
import { internalError, signatureUnauthorized } from '../receive/receive-outcome.js'
import { receiveReadWith } from '../receive/receive-read.js'
import { receiveWebhook, withEvent } from '../receive/receive-webhook.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../receive/webhook-receive-options.js'
import type { SmartsuppHookRequest } from './express.js'
import { CONSUMED_BODY_MESSAGE, expressBody, FORM_BODY_MESSAGE, type ParsedRequest } from './express-body.js'
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

/** Warned once per handler when a webhook arrives already read by a body parser. */
export const PARSED_WEBHOOK_WARNING =
  'smartsupp-hook: a webhook reached smartsuppWebhook() after express.json() (or another body parser) had read it, so the exact bytes its X-Smartsupp-Hmac signs are gone; it can only be verified if re-serialising the parsed body gives the same bytes, and otherwise is answered 401 (no callback), as any body that cannot be verified. Fix: mount the receiver before the body parser, app.use(path, smartsuppWebhook(options)) above app.use(express.json()); or keep the bytes with express.json({ verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf } }). Silence this warning with { warnParsedBody: false }.'

const PARSED_WEBHOOK_NOTE =
  'req.body was already read by a body parser before smartsuppWebhook(), so rawBody is rebuilt from it (JSON.stringify for a parsed body), not the bytes Smartsupp signed. Mount smartsuppWebhook() before express.json(), or keep req.rawBody with its verify hook.'

/**
 * Returns an Express 4 or 5 `RequestHandler` that receives Smartsupp webhooks: 200 once `onEvent`
 * resolves; 401 (no callback) for a missing or wrong `X-Smartsupp-Hmac` or another `appId`; 400 +
 * `onInvalid` (exact bytes) for an authentic but undecodable body; 405, 413, 415; 500 + `onError`
 * when a callback throws; 503 after `timeoutMs`; errors as JSON `{ error, issues? }`. Mount it
 * before `express.json()` with `app.use(path, hook)`; behind a parser it uses `req.rawBody`
 * (a Buffer) when a `verify` hook kept it, and otherwise answers 401 (warning once, naming the
 * fix) unless the re-serialised body still matches the signature. Options are checked here, once (a `TypeError`).
 */
export function smartsuppWebhook(options: SmartsuppWebhookOptions): RequestHandler {
  const resolved = resolveWebhookReceiveOptions(options)
  let warn = options.warnParsedBody !== false
  // One warning per handler about how it is mounted: a log line, not a callback, since an
  // unverified request must reach none of the host's code.
  const warnOnce = (message: string) => {
    if (!warn) return
    warn = false
    console.warn(message)
  }
  // Returns the work's promise (which never rejects): Express 5 awaits it, Express 4 ignores it.
  return (req, res) =>
    handleExpressWebhook(req, res, resolved, warnOnce).catch(() => {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      sendNodeResponse(res, internalError)
    })
}

async function handleExpressWebhook(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  options: ResolvedWebhookReceiveOptions<SmartsuppHookRequest>,
  warnOnce: (message: string) => void,
): Promise<void> {
  // originalUrl keeps the full path when the handler is mounted under a prefix.
  const head = { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers, request: req }
  const early = checkWebhookRequest(head, options)
  if (early !== null) return sendNodeResponse(res, early)
  const found = expressBody(req as ParsedRequest)
  if (found.kind === 'stream') {
    const read = await readNodeRequest(req, options.limit)
    return sendNodeResponse(res, await receiveReadWith(head, read, options, receiveWebhook))
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
