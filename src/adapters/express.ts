/**
 * `smartsupp-hook/express`: an Express 4 or 5 request handler for Smartsupp's POST hook. Works
 * whether or not `express.json()`, `express.raw()` or `express.text()` ran before it; mounted
 * before them it keeps the exact bytes. Imports Express as a type only.
 */
import type { Request, RequestHandler } from 'express'
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
import {
  CONSUMED_BODY_MESSAGE,
  expressBody,
  FORM_BODY_MESSAGE,
  PARSED_BODY_NOTE,
  type ParsedRequest,
  TEXT_BODY_NOTE,
} from './express-body.js'
import { readNodeRequest } from './read-node-body.js'
import { sendNodeResponse } from './send-node-response.js'

export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply } from '../receive/receive-options.js'
export type { ReceiveOutcome, ResponseBody } from '../receive/receive-outcome.js'
export { SmartsuppTimeoutError } from '../receive/smartsupp-timeout-error.js'

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
export type SmartsuppHookOptions = ReceiveOptions<SmartsuppHookRequest>

/**
 * Returns an Express `RequestHandler` that answers Smartsupp's POST hook: 200 once
 * `onConversation` resolves, 400 + `onInvalid` (raw bytes) for an undecodable body, 401, 405,
 * 413 or 500. Options are checked here, once: a wrong option throws a `TypeError`.
 */
export function smartsuppHook(options: SmartsuppHookOptions): RequestHandler {
  const resolved = resolveReceiveOptions(options)
  // Returns the work's promise (which never rejects): Express 5 awaits it, Express 4 ignores it.
  return (req, res) =>
    handleExpressRequest(req, res, resolved).catch(() => {
      // Only a bug in this package can land here: answer 500 without echoing its text.
      sendNodeResponse(res, internalError)
    })
}

async function handleExpressRequest(
  req: SmartsuppHookRequest,
  res: Parameters<RequestHandler>[1],
  options: ResolvedReceiveOptions<SmartsuppHookRequest>,
): Promise<void> {
  // originalUrl keeps the full path (and the token in it) when the handler is mounted under a prefix.
  const head = { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers, request: req }
  const early = checkRequest(head, options)
  if (early !== null) return sendNodeResponse(res, early)
  const found = expressBody(req as ParsedRequest)
  if (found.kind === 'stream') {
    return sendNodeResponse(res, await receiveRead(head, await readNodeRequest(req, options.limit), options))
  }
  if (found.kind === 'consumed' || found.kind === 'form') {
    const empty = { kind: 'bytes', bytes: new Uint8Array(0) } as const
    const error = new Error(found.kind === 'form' ? FORM_BODY_MESSAGE : CONSUMED_BODY_MESSAGE)
    return sendNodeResponse(res, await receiveFailure(head, empty, error, options))
  }
  const body = found.body
  const bodyNote = body.kind === 'parsed' ? PARSED_BODY_NOTE : body.kind === 'text' ? TEXT_BODY_NOTE : null
  sendNodeResponse(res, await receiveBody({ ...head, bodyNote }, body, options))
}
