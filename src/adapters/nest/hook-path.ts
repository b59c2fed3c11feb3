/**
 * Checks the `path` option once, at start-up: an absolute path without query, fragment or route
 * parameters, not `/` alone; returns it without a trailing slash. Anything else is a `TypeError`
 * naming `moduleName` (the module whose option it is).
 */
export function checkHookPath(path: unknown, moduleName = 'SmartsuppHookModule'): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#:*\s]/.test(path)) {
    throw new TypeError(
      `smartsupp-hook: ${moduleName} needs { path }: the path Smartsupp posts to, as the URL shows it, e.g. '/hooks/smartsupp' (no query, no :params); got ${String(path)}`,
    )
  }
  const trimmed = path.replace(/\/+$/, '')
  if (trimmed === '') {
    throw new TypeError(`smartsupp-hook: ${moduleName}'s path cannot be '/': it would answer every request`)
  }
  return trimmed
}

/** The path of a request URL (path and query, as Node gives it): everything before `?` or `#`. */
function pathnameOf(url: string): string {
  const end = url.search(/[?#]/)
  return end >= 0 ? url.slice(0, end) : url
}

/**
 * Whether a request URL (path and query, as Node gives it) is the POST hook's: its path is `path`
 * itself, or `path` and one more segment (where the token goes). Compared exactly, case included.
 */
export function isHookPath(url: string, path: string): boolean {
  const pathname = pathnameOf(url)
  if (pathname === path) return true
  if (!pathname.startsWith(`${path}/`)) return false
  return !pathname.slice(path.length + 1).includes('/')
}

/**
 * Whether a request URL is the webhook receiver's: its path is `path` itself, with or without a
 * trailing slash (webhooks carry no token in the URL, so no further segment). Compared exactly.
 */
export function isWebhookPath(url: string, path: string): boolean {
  const pathname = pathnameOf(url)
  return pathname === path || pathname === `${path}/`
}
