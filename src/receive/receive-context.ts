/** Request headers, names in lower case, as Node gives them (a Web `Headers` is copied into this shape). */
export type RequestHeaders = { readonly [name: string]: string | readonly string[] | undefined }

/**
 * Where `rawBody` came from: the exact bytes, text a text parser decoded, a value a JSON parser
 * produced, or `none`: nothing of the body was read or kept (a refusal such as 413, or a body
 * earlier middleware consumed), so `rawBody` is empty and `rawBodyNote` says why.
 */
export type RawBodySource = 'bytes' | 'text' | 'parsed' | 'none'

/**
 * What every callback receives besides its main argument: the request and the raw body, so a
 * host can keep any delivery (a dead letter) or tie it to a tenant. `Req` is the framework's own
 * request (Express `Request`, `IncomingMessage`, Web `Request`).
 */
export interface ReceiveContext<Req = unknown> {
  /** The framework's request object, untouched. */
  readonly request: Req
  /** The HTTP method, upper case. */
  readonly method: string
  /** The request URL as the server saw it (path and query; Fetch: the absolute URL). */
  readonly url: string
  readonly headers: RequestHeaders
  /**
   * The body as bytes. Exact when `rawBodySource` is `'bytes'`; otherwise rebuilt: the UTF-8
   * encoding of the decoded text (`'text'`) or `JSON.stringify` of the parsed value (`'parsed'`),
   * whose whitespace and number spelling may differ from what was sent; empty for `'none'`.
   */
  readonly rawBody: Uint8Array
  readonly rawBodySource: RawBodySource
  /** `null` when `rawBody` is exact; otherwise one sentence saying why it is not and how to fix that. */
  readonly rawBodyNote: string | null
  /** When the request reached the handler. */
  readonly receivedAt: Date
}
