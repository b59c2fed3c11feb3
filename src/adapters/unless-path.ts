import type { IncomingMessage } from 'node:http'

/**
 * Wraps a middleware (e.g. a global `express.json()`) so that it skips `path` and everything
 * under it (`/hooks/smartsupp/<token>` too), leaving the hook's body unread for the hook, which
 * reads the exact bytes itself under its own `limit`. Matched like Express's `app.use(path)`:
 * case-insensitively, a trailing slash ignored, on the request's full path (`originalUrl`).
 */
export function unlessPath<H extends (req: never, res: never, next: never) => unknown>(
  path: string,
  middleware: H,
): H {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError('smartsupp-hook/express: unlessPath(path, middleware) needs a path starting with "/"')
  }
  if (typeof middleware !== 'function') {
    throw new TypeError('smartsupp-hook/express: unlessPath(path, middleware) needs a middleware function')
  }
  const prefix = withoutTrailingSlash(path.toLowerCase())
  const run = middleware as unknown as (
    req: unknown,
    res: unknown,
    next: (error?: unknown) => void,
  ) => unknown
  const skipping = (
    req: IncomingMessage & { readonly originalUrl?: string },
    res: unknown,
    next: (error?: unknown) => void,
  ) => {
    const url = req.originalUrl ?? req.url ?? '/'
    const end = url.search(/[?#]/)
    const pathname = withoutTrailingSlash((end === -1 ? url : url.slice(0, end)).toLowerCase())
    if (pathname === prefix || pathname.startsWith(`${prefix}/`) || prefix === '') return next()
    return run(req, res, next)
  }
  return skipping as unknown as H
}

function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '')
}
