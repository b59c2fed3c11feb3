/**
 * A request body as an adapter found it: the exact `bytes` off the wire, `text` that a text
 * parser already decoded, or a `parsed` value that a JSON body parser (e.g. `express.json()`)
 * already produced. Only `bytes` keeps the body exactly as Smartsupp sent it.
 */
export type ReceivedBody =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'parsed'; readonly value: unknown }
