import type { IncomingMessage } from 'node:http'
import type { ReceivedBody } from '../receive/received-body.js'
import { viewBytes } from '../receive/view-bytes.js'

/** Says why `rawBody` is not the exact bytes when `express.json()` ran first, and names the fix. */
export const PARSED_BODY_NOTE =
  'req.body was already parsed by express.json() (or another body parser) before smartsuppHook(), so the exact bytes are gone and rawBody is JSON.stringify(req.body). Mount smartsuppHook() before express.json(), e.g. app.use(path, smartsuppHook(options)) above app.use(express.json()), or keep the bytes with express.json({ verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf } }).'

/** Warned once per handler when a delivery arrives already parsed or refused by a body parser. */
export const PARSED_BODY_WARNING =
  'smartsupp-hook: a delivery reached smartsuppHook() after express.json() (or another body parser) had read it, so its exact bytes are gone, and bodies that parser refuses (malformed JSON, over its 100 kB default limit) never reach onInvalid unless you mount hook.bodyParserErrors. Fix: mount the hook before the body parser, app.use(path, hook) above app.use(express.json()); or wrap the parser, app.use(unlessPath(path, express.json())); or keep the parser first and mount app.use(path, hook, hook.bodyParserErrors). Silence this warning with { warnParsedBody: false }.'

/** What `onError` receives when a body parser refused a delivery and kept none of its bytes. */
export function refusedBodyMessage(refused: {
  readonly reason: string
  readonly type: string
  readonly limitBytes: number | null
}): string {
  const why =
    refused.reason === 'too_large'
      ? `it was larger than the body parser's limit${refused.limitBytes === null ? '' : ` (${refused.limitBytes} bytes)`}`
      : refused.reason === 'charset'
        ? 'its charset is not one the body parser decodes'
        : refused.reason === 'encoding'
          ? 'its Content-Encoding is not one the body parser inflates'
          : `the body parser could not read it (${refused.type})`
  return `smartsupp-hook: a body parser refused a delivery on the hook's path because ${why}, and kept none of its bytes, so it could not reach onInvalid. Mount smartsuppHook() before the body parser (app.use(path, hook) above app.use(express.json())), or leave the hook's path out of the parser: app.use(unlessPath(path, express.json())) from smartsupp-hook/express.`
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
