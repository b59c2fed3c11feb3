/**
 * What an error from body-parser (`express.json()`, `express.text()`, …) tells about a body it
 * refused: the HTTP status it chose, why, and the text it had decoded when parsing failed.
 */
export interface BodyParserError {
  /** `parse`: not JSON (the text is kept); `too_large`; `charset`/`encoding`: unsupported; `other`: a read or inflate error. */
  readonly reason: 'parse' | 'too_large' | 'charset' | 'encoding' | 'other'
  /** body-parser's own `type`, e.g. `entity.parse.failed`, or the zlib code of an inflate error. */
  readonly type: string
  /** The text body-parser decoded before `JSON.parse` refused it (only for `parse`). */
  readonly text: string | null
  /** The limit body-parser applied, in bytes (only for `too_large`). */
  readonly limitBytes: number | null
  /** The body's size as body-parser saw it, in bytes: declared (`Content-Length`) or read so far; `null` when unknown. */
  readonly bodyBytes: number | null
}

const OTHER_TYPES = new Set([
  'request.aborted',
  'request.size.invalid',
  'stream.encoding.set',
  'stream.not.readable',
])

/**
 * Recognises an error body-parser passed to `next(err)` (by its `type`, or a zlib `Z_…` code for a
 * body that did not inflate); `null` for any other error, which the caller passes on untouched.
 * A `verify` callback's own error (`entity.verify.failed`) is the host's and is passed on too.
 */
export function bodyParserError(error: unknown): BodyParserError | null {
  if (error === null || typeof error !== 'object') return null
  const { type, body, limit, code, length, received } = error as {
    type?: unknown
    body?: unknown
    limit?: unknown
    code?: unknown
    length?: unknown
    received?: unknown
  }
  // raw-body sets `length` (declared) when it refuses before reading, `received` when reading.
  const bodyBytes = typeof received === 'number' ? received : typeof length === 'number' ? length : null
  const base = { text: null, limitBytes: null, bodyBytes }
  if (type === 'entity.parse.failed') {
    return { ...base, reason: 'parse', type, text: typeof body === 'string' ? body : null }
  }
  if (type === 'entity.too.large') {
    return { ...base, reason: 'too_large', type, limitBytes: typeof limit === 'number' ? limit : null }
  }
  if (type === 'charset.unsupported') return { ...base, reason: 'charset', type }
  if (type === 'encoding.unsupported') return { ...base, reason: 'encoding', type }
  if (typeof type === 'string' && OTHER_TYPES.has(type)) return { ...base, reason: 'other', type }
  if (type === undefined && typeof code === 'string' && code.startsWith('Z_')) {
    return { ...base, reason: 'other', type: code }
  }
  return null
}
