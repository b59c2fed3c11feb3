import type { IncomingMessage } from 'node:http'
import { rejection } from '../receive/receive-outcome.js'
import type { ReceivedBody } from '../receive/received-body.js'
import type { DeliveryKind, RefusedOutcome } from '../receive/refusal.js'
import { type RefusalDetails, SmartsuppRefusedError } from '../receive/smartsupp-refused-error.js'
import { viewBytes } from '../receive/view-bytes.js'
import type { BodyParserError } from './body-parser-error.js'

/** Says why `rawBody` is not the exact bytes when `express.json()` ran first, and names the fix. */
export const PARSED_BODY_NOTE =
  'req.body was already parsed by express.json() (or another body parser) before smartsuppHook(), so the exact bytes are gone and rawBody is JSON.stringify(req.body). Mount smartsuppHook() before express.json(), e.g. app.use(path, smartsuppHook(options)) above app.use(express.json()), or keep the bytes with express.json({ verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf } }).'

/** Warned once per handler when a delivery arrives already parsed or refused by a body parser. */
export const PARSED_BODY_WARNING =
  'smartsupp-hook: a delivery reached smartsuppHook() after express.json() (or another body parser) had read it, so its exact bytes are gone, and bodies that parser refuses (malformed JSON, over its 100 kB default limit) never reach onInvalid unless you mount hook.bodyParserErrors. Fix: mount the hook before the body parser, app.use(path, hook) above app.use(express.json()); or wrap the parser, app.use(unlessPath(path, express.json())); or keep the parser first and mount app.use(path, hook, hook.bodyParserErrors). Silence this warning with { warnParsedBody: false }.'

/**
 * The answer to a delivery a body parser in front of the handler refused (over its limit, an
 * unsupported charset or encoding, unreadable), keeping none of its bytes: the status it chose,
 * an answer that names whose limit applied, and the `SmartsuppRefusedError` `onError` gets,
 * naming the fix. `handler` is the handler's name in the fix (`smartsuppHook`, `smartsuppWebhook`).
 */
export function parserRefusal(
  refused: BodyParserError,
  kind: DeliveryKind,
  handler: 'smartsuppHook' | 'smartsuppWebhook',
  ownLimitBytes: number,
): RefusedOutcome {
  const mount = `Fix: mount ${handler}() before the body parser (app.use(path, hook) above app.use(express.json())), or leave the hook's path out of the parser: app.use(unlessPath(path, express.json())) from smartsupp-hook/express`
  const seen = refused.bodyBytes === null ? '' : ` (${refused.bodyBytes} bytes seen)`
  const lost = `keeping none of its bytes, so it never reached ${handler}()`
  const after =
    kind === 'webhook'
      ? 'Smartsupp re-delivers a webhook answered anything but 200, and it will be refused the same way until the fix.'
      : 'Smartsupp documents no retries for the POST hook, so it may not come again.'
  if (refused.reason === 'too_large') {
    const limit = refused.limitBytes
    const limitText =
      limit === null
        ? 'its limit'
        : `its limit of ${limit} bytes${limit === 102_400 ? ' (the 100 kB default)' : ''}`
    const raise =
      refused.bodyBytes === null
        ? ''
        : `; or raise the parser's limit, e.g. express.json({ limit: '${Math.max(1, Math.ceil(refused.bodyBytes / 1_048_576) * 2)}mb' })${refused.bodyBytes > ownLimitBytes ? `. This body is over ${handler}()'s own limit too, so raise that as well, e.g. limit: ${Math.max(1, Math.ceil(refused.bodyBytes / 1_048_576) * 2)} * 1024 * 1024` : ''}`
    return refusedBy(
      413,
      limit === null
        ? "Payload too large for the app's body parser in front of this receiver (not this receiver's limit option)"
        : `Payload too large: the limit is ${limit} bytes, set by the app's body parser in front of this receiver (not this receiver's limit option)`,
      { reason: 'too_large', bodyBytes: refused.bodyBytes, limitBytes: limit },
      `smartsupp-hook: a ${kind} delivery${seen} was answered 413 by the app's body parser (express.json() or another) over ${limitText}, ${lost}; this receiver's own limit (${ownLimitBytes} bytes, option limit) never applied. ${after} ${mount}${raise}.`,
    )
  }
  if (refused.reason === 'charset') {
    return refusedBy(
      415,
      'Unsupported charset: send the body as UTF-8',
      { reason: 'unsupported_charset', bodyBytes: refused.bodyBytes, limitBytes: null },
      `smartsupp-hook: a ${kind} delivery${seen} was answered 415 by the app's body parser because its charset is not one the body parser decodes, ${lost}. ${after} ${mount}; this receiver reads the exact bytes whatever the charset.`,
    )
  }
  if (refused.reason === 'encoding') {
    return refusedBy(
      415,
      'Unsupported Content-Encoding: send the body as is, or as gzip, deflate or br',
      { reason: 'unsupported_encoding', bodyBytes: refused.bodyBytes, limitBytes: null },
      `smartsupp-hook: a ${kind} delivery${seen} was answered 415 by the app's body parser because its Content-Encoding is not one the body parser inflates, ${lost}. ${after} ${mount}; this receiver inflates gzip, deflate and br itself.`,
    )
  }
  return refusedBy(
    400,
    'The request body could not be read',
    { reason: 'unreadable', bodyBytes: refused.bodyBytes, limitBytes: null },
    `smartsupp-hook: a ${kind} delivery${seen} was answered 400 because the app's body parser could not read it (${refused.type}), ${lost}. ${after} ${mount}; this receiver then hands bodies that do not inflate to onInvalid with their exact bytes.`,
  )
}

function refusedBy(
  status: number,
  answer: string,
  details: Pick<RefusalDetails, 'reason' | 'bodyBytes' | 'limitBytes'>,
  message: string,
): RefusedOutcome {
  const headers = { 'content-type': 'application/json; charset=utf-8', connection: 'close' }
  return {
    ...rejection(status, answer, headers),
    refusal: new SmartsuppRefusedError({ ...details, status, refusedBy: 'body_parser' }, message),
  }
}

/** Says why `rawBody` is rebuilt when `express.text()` ran first, and names the fix. */
export const TEXT_BODY_NOTE =
  'req.body was already decoded to text by express.text() before smartsuppHook(), so rawBody is that text re-encoded as UTF-8. Mount smartsuppHook() before express.text(), or use express.raw({ type: "*/*" }) in front, to keep the exact bytes.'

/** Names the fix when earlier middleware read the body stream but left nothing in `req.body`. */
export const CONSUMED_BODY_MESSAGE =
  'smartsupp-hook: the request body was already read by earlier middleware, and neither req.body nor req.rawBody holds it. Mount smartsuppHook() before that middleware, e.g. app.use(path, smartsuppHook(options)) above app.use(…).'

/** Names the fix when a form parser (e.g. `express.urlencoded()`) parsed the JSON as a form. */
export const FORM_BODY_MESSAGE =
  'smartsupp-hook: a form parser (e.g. express.urlencoded()) parsed this body because of its form Content-Type, so the JSON it carried is lost and cannot be kept. Mount smartsuppHook() before the body parsers, e.g. app.use(path, smartsuppHook(options)) above app.use(express.urlencoded()).'

const FORM_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i

/** An Express (or Nest on Express) request as this adapter reads it: Node's request plus what body parsers leave. */
export type ParsedRequest = IncomingMessage & {
  readonly body?: unknown
  readonly rawBody?: unknown
  readonly _body?: unknown
}

/**
 * What an Express request holds as its body: `stream` when no middleware read it (the adapter
 * reads it), a body a parser left (`req.rawBody` bytes first, then `req.body` as Buffer, string
 * or parsed value), `consumed` when the stream was read and nothing was kept, or `form` when a
 * form parser turned the body into fields (a form or multipart Content-Type) and no bytes were kept.
 */
export function expressBody(
  req: ParsedRequest,
):
  | { readonly kind: 'stream' }
  | { readonly kind: 'consumed' }
  | { readonly kind: 'form' }
  | { readonly kind: 'found'; readonly body: ReceivedBody } {
  // body-parser marks the request with `_body` (v1) or leaves the stream finished (v2).
  const read = req._body === true || req.readableEnded || (req.complete && !req.readable)
  if (!read) return { kind: 'stream' }
  const { rawBody, body } = req
  // Bytes from another realm (a vm, Jest's sandbox) are bytes too.
  const rawBytes = viewBytes(rawBody)
  if (rawBytes !== null) return { kind: 'found', body: { kind: 'bytes', bytes: rawBytes } }
  const bodyBytes = viewBytes(body)
  if (bodyBytes !== null) return { kind: 'found', body: { kind: 'bytes', bytes: bodyBytes } }
  if (typeof body === 'string') return { kind: 'found', body: { kind: 'text', text: body } }
  if (body === undefined) return { kind: 'consumed' }
  const type = req.headers['content-type']
  if (typeof type === 'string' && FORM_TYPE.test(type)) return { kind: 'form' }
  return { kind: 'found', body: { kind: 'parsed', value: body } }
}
