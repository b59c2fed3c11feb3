/**
 * Checks the `path` option once, at start-up: an absolute path without query, fragment or route
 * parameters, not `/` alone; returns it without a trailing slash. Anything else is a `TypeError`.
 */
export function checkHookPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#:*\s]/.test(path)) {
    throw new TypeError(
      `smartsupp-hook: SmartsuppHookModule needs { path }: the path Smartsupp posts to, as the URL shows it, e.g. '/hooks/smartsupp' (no query, no :params); got ${String(path)}`,
    )
  }
  const trimmed = path.replace(/\/+$/, '')
  if (trimmed === '') {
    throw new TypeError(
      "smartsupp-hook: SmartsuppHookModule's path cannot be '/': it would answer every request",
    )
  }
  return trimmed
}

/**
 * Whether a request URL (path and query, as Node gives it) is the hook's: its path is `path`
 * itself, or `path` and one more segment (where the token goes). Compared exactly, case included.
 */
export function isHookPath(url: string, path: string): boolean {
  const end = url.search(/[?#]/)
  const pathname = end >= 0 ? url.slice(0, end) : url
  if (pathname === path) return true
  if (!pathname.startsWith(`${path}/`)) return false
  return !pathname.slice(path.length + 1).includes('/')
}
