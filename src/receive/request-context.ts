import type { RequestHead } from './check-request.js'
import { rawBytes } from './raw-bytes.js'
import type { RawBodySource, ReceiveContext } from './receive-context.js'
import type { ReceivedBody } from './received-body.js'

/** What the adapter knows about the request besides its body. */
export interface ReceivedRequest<Req> extends RequestHead {
  /** The framework's own request object, handed to callbacks in the context. */
  readonly request: Req
  /** Why the body is not exact, naming the fix (e.g. "mount before express.json()"), or `null`. */
  readonly bodyNote?: string | null
}

/** The `ReceiveContext` of one request; its `rawBody` is built only when read (re-serialising costs time). */
export class RequestContext<Req> implements ReceiveContext<Req> {
  readonly request: Req
  readonly method: string
  readonly url: string
  readonly headers: ReceiveContext['headers']
  readonly rawBodySource: RawBodySource
  readonly rawBodyNote: string | null
  readonly receivedAt: Date
  #body: ReceivedBody
  #raw: Uint8Array | undefined

  constructor(req: ReceivedRequest<Req>, body: ReceivedBody, receivedAt: Date) {
    this.request = req.request
    this.method = req.method.toUpperCase()
    this.url = req.url
    this.headers = req.headers
    this.rawBodySource = body.kind
    this.rawBodyNote = body.kind === 'bytes' ? null : (req.bodyNote ?? defaultNote(body.kind))
    this.receivedAt = receivedAt
    this.#body = body
  }

  get rawBody(): Uint8Array {
    if (this.#raw === undefined) this.#raw = rawBytes(this.#body)
    return this.#raw
  }
}

function defaultNote(kind: 'text' | 'parsed' | 'none'): string {
  if (kind === 'none')
    return 'The body was not read (or was gone before the handler got the request), so rawBody is empty.'
  return kind === 'text'
    ? 'The body was already decoded to text by a body parser, so rawBody is that text re-encoded as UTF-8; hand the handler the unread request (or a Buffer) to keep the exact bytes.'
    : 'The body was already parsed by a JSON body parser, so the exact bytes are gone and rawBody is JSON.stringify of the parsed value; hand the handler the unread request (or a Buffer) to keep them.'
}
