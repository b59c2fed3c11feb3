import type { RequestHeaders } from './receive-context.js'

/** A `Content-Encoding` the receiver inflates; `identity` means the body is sent as is. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br'

/**
 * The one coding a request's `Content-Encoding` names (absent, empty or `identity` → `identity`;
 * `x-gzip` counts as `gzip`), or `null` for anything else, a list of codings included (→ 415).
 */
export function contentCoding(headers: RequestHeaders): ContentCoding | null {
  const header = headers['content-encoding']
  if (header === undefined) return 'identity'
  if (typeof header !== 'string') return null
  const name = header.trim().toLowerCase()
  if (name === '' || name === 'identity') return 'identity'
  if (name === 'gzip' || name === 'x-gzip') return 'gzip'
  if (name === 'deflate' || name === 'br') return name
  return null
}
