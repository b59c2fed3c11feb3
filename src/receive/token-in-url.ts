import { tokenMatches } from './token-matches.js'

/**
 * Whether a request URL carries the secret, as the one `token` query parameter or as the last
 * non-empty path segment (both percent-decoded; `+` stays `+`). At most two constant-time
 * comparisons per request, so one request cannot carry many guesses: a URL with several `token`
 * parameters is refused outright. `url` may be a path with a query or an absolute URL.
 */
export function tokenInUrl(url: string, expected: Uint8Array): boolean {
  const hashAt = url.indexOf('#')
  const end = hashAt >= 0 ? hashAt : url.length
  const firstQuestion = url.indexOf('?')
  const queryAt = firstQuestion >= 0 && firstQuestion < end ? firstQuestion : -1
  let path = url.slice(0, queryAt >= 0 ? queryAt : end)
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)
  if (scheme !== null) path = path.slice(scheme[0].length)
  const query = queryAt >= 0 ? queryTokens(url.slice(queryAt + 1, end)) : []
  if (query.length > 1) return false
  const segment = lastSegment(path)
  // Both candidates are always compared (no early exit), whichever matches.
  const byPath = segment !== null && tokenMatches(decode(segment), expected)
  const byQuery = query[0] !== undefined && tokenMatches(query[0], expected)
  return byPath || byQuery
}

/** The decoded values of every `token` parameter in a query string (without the leading `?`). */
function queryTokens(query: string): string[] {
  const values: string[] = []
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const name = decode(eq >= 0 ? pair.slice(0, eq) : pair)
    if (name === 'token') values.push(eq >= 0 ? decode(pair.slice(eq + 1)) : '')
  }
  return values
}

function lastSegment(path: string): string | null {
  const segments = path.split('/')
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as string
    if (segment !== '') return segment
  }
  return null
}

/** Percent-decoding without the form rule that turns `+` into a space; malformed escapes are kept as written. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
