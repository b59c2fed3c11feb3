/** A Fetch-style request handler, e.g. the `smartsupp-hook/fetch` handler, Hono's `app.fetch`, a Next.js route. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * A Node request listener: `(req, res)`, e.g. `createSmartsuppListener(...)`, or an Express app
 * (whose third parameter, `next`, is optional). Typed without Node's types, so this entry
 * type-checks where there are none.
 */
export type NodeRequestListener = (req: never, res: never, ...rest: never[]) => unknown

/** What `postConversation` uses of a Node `http.Server` (e.g. Nest's `app.getHttpServer()`). */
export interface NodeServerLike {
  readonly listening: boolean
  listen(port: number, host: string, callback: () => void): unknown
  address(): unknown
  close(callback: () => void): unknown
  closeAllConnections?(): void
  once(event: 'error', listener: (error: Error) => void): unknown
  off(event: 'error', listener: (error: Error) => void): unknown
}

/** Where `postConversation` sends: a URL, a Fetch handler, a Node listener or Express app, or an `http.Server`. */
export type PostTarget = string | URL | FetchHandler | NodeRequestListener | NodeServerLike

/** Options of `postConversation`. */
export interface PostConversationOptions {
  /** Extra or replacing request headers. `content-type` defaults to `application/json`. */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * The request URL given to a handler target (ignored for URL targets). Default
   * `http://localhost/`; for a listener, app or server only its path and query are used, and a
   * bare path (`/hooks/smartsupp?token=…`) is enough.
   */
  readonly url?: string | URL
  /** The `fetch` used for URL, listener and server targets. Default: the global `fetch`. */
  readonly fetch?: typeof fetch
  /** Aborts the request. */
  readonly signal?: AbortSignal
}

/**
 * Sends a payload the way Smartsupp's POST hook does, a POST with the JSON body, and returns the
 * response. The target may be a URL (sent with `fetch`), a Fetch-style handler (called directly),
 * or a Node request listener, an Express app or an `http.Server` such as Nest's
 * `app.getHttpServer()`: these are started on an ephemeral port on 127.0.0.1 (unless the server is
 * already listening), sent real HTTP, and closed again before this resolves. A function with two
 * or more declared parameters, or with a `listen` method, counts as a Node listener. An object is
 * sent as `JSON.stringify` writes it; a string or bytes are sent unchanged (to test broken bodies).
 * Redirects are not followed: a 3xx answer is returned as it is.
 */
export function postConversation(
  target: FetchHandler,
  payload: unknown,
  options?: PostConversationOptions,
): Promise<Response>
export function postConversation(
  target: PostTarget,
  payload: unknown,
  options?: PostConversationOptions,
): Promise<Response>
export async function postConversation(
  target: PostTarget,
  payload: unknown,
  options: PostConversationOptions = {},
): Promise<Response> {
  const body = requestBody(payload)
  const headers = new Headers({ 'content-type': 'application/json' })
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  // Redirects are not followed: a 3xx is the receiver's answer (following a 302 would turn the POST into a GET).
  const init: RequestInit = { method: 'POST', headers, body, redirect: 'manual' }
  if (options.signal !== undefined) init.signal = options.signal
  if (isServer(target)) return postToNode(target, init, options)
  if (typeof target === 'function') {
    if (isNodeListener(target)) return postToNode(target as NodeRequestListener, init, options)
    return await (target as FetchHandler)(new Request(options.url ?? 'http://localhost/', init))
  }
  return await (options.fetch ?? fetch)(target, init)
}

function isServer(target: PostTarget): target is NodeServerLike {
  return (
    typeof target === 'object' &&
    target !== null &&
    !(target instanceof URL) &&
    typeof (target as NodeServerLike).listen === 'function' &&
    typeof (target as NodeServerLike).address === 'function'
  )
}

// Not a type guard: a Fetch handler's type is assignable to NodeRequestListener, so only the arity tells.
function isNodeListener(target: (...args: never[]) => unknown): boolean {
  return target.length >= 2 || typeof (target as { listen?: unknown }).listen === 'function'
}

/** Serves `target` on 127.0.0.1 (an ephemeral port) unless it already listens, posts, and closes what it started. */
async function postToNode(
  target: NodeServerLike | NodeRequestListener,
  init: RequestInit,
  options: PostConversationOptions,
): Promise<Response> {
  // Loaded only here, so the testing entry still runs where there is no node:http (a Worker).
  const { createServer } = await import('node:http')
  const server: NodeServerLike =
    typeof target === 'function' ? createServer(target as Parameters<typeof createServer>[0] & {}) : target
  const started = !server.listening
  if (started) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  }
  try {
    const address = server.address() as { address: string; family: string; port: number }
    const host =
      address.family === 'IPv6'
        ? `[${address.address === '::' ? '::1' : address.address}]`
        : address.address === '0.0.0.0'
          ? '127.0.0.1'
          : address.address
    const given = new URL(options.url ?? '/', 'http://localhost/')
    const url = `http://${host}:${address.port}${given.pathname}${given.search}`
    const response = await (options.fetch ?? fetch)(url, init)
    // Read to the end before the server closes, so the returned Response stays readable.
    const bytes = await response.arrayBuffer()
    const empty = response.status === 204 || response.status === 304
    return new Response(empty ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  } finally {
    if (started) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      })
    }
  }
}

function requestBody(payload: unknown): string | Uint8Array<ArrayBuffer> {
  if (typeof payload === 'string') return payload
  if (payload instanceof Uint8Array) return new Uint8Array(payload)
  const json = JSON.stringify(payload)
  if (json === undefined) {
    throw new TypeError(
      'smartsupp-hook/testing: postConversation needs a JSON value, a string or bytes as the payload',
    )
  }
  return json
}
