/**
 * A request body as an adapter found it: the exact `bytes` off the wire, `text` that a text
 * parser already decoded, a `parsed` value that a JSON body parser (e.g. `express.json()`)
 * already produced, or `none` when nothing of it was read or kept (refused unread, or consumed by
 * earlier middleware). Only `bytes` keeps the body exactly as Smartsupp sent it.
 */
export type ReceivedBody =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'parsed'; readonly value: unknown }
  | { readonly kind: 'none' }

/** The body of a request whose body was not read, or is gone. */
export const NO_BODY: ReceivedBody = { kind: 'none' }
