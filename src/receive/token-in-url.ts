import { tokenMatches } from './token-matches.js'

/**
 * Whether a request URL carries the secret, as the `token` query parameter or as any path
 * segment (percent-decoded). Every candidate is compared in constant time, with no early exit.
 * `url` may be a path with a query (`/hooks/smartsupp?token=…`) or an absolute URL.
 */
export function tokenInUrl(url: string, expected: Uint8Array): boolean {
  const queryAt = url.indexOf('?')
  const hashAt = url.indexOf('#')
  const pathEnd = queryAt >= 0 ? queryAt : hashAt >= 0 ? hashAt : url.length
  let path = url.slice(0, pathEnd)
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)
  if (scheme !== null) path = path.slice(scheme[0].length)
  let found = false
  for (const segment of path.split('/')) {
    if (segment === '') continue
    if (tokenMatches(decode(segment), expected)) found = true
  }
  if (queryAt >= 0) {
    const query = url.slice(queryAt + 1, hashAt > queryAt ? hashAt : url.length)
    for (const value of new URLSearchParams(query).getAll('token')) {
      if (tokenMatches(value, expected)) found = true
    }
  }
  return found
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
