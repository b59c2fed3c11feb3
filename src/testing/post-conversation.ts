/**
 * A Fetch-style request handler, e.g. the `smartsupp-hook/fetch` handler, Hono's `app.fetch`, a
 * Next.js route `POST(request, { params })` or a Worker's `fetch(request, env, ctx)`; it is called
 * with the request alone.
 */
export type FetchHandler = (request: Request, ...rest: never[]) => Response | Promise<Response>

/**
 * A Node request listener: `(req, res)`, e.g. `createSmartsuppListener(...)` (pass
 * `{ as: 'node' }`), or an Express app (recognised by its `handle` and `use` methods). Typed
 * without Node's types, so this entry type-checks where there are none.
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
  /**
   * How to call a plain function target: `'fetch'` (default) calls it with a `Request`; `'node'`
   * serves it as a Node request listener `(req, res)`. An Express app and an `http.Server` are
   * recognised by their shape and need no `as`.
   */
  readonly as?: 'fetch' | 'node'
  /**
   * Milliseconds to wait for the answer (the whole response, for a served target) before
   * rejecting with an error that says so; default 15 000, above the receivers' own 10 s
   * `timeoutMs`, so their 503 arrives first. A whole number from 1 to 2 147 483 647.
   */
  readonly timeoutMs?: number
}

/** The default of `PostConversationOptions.timeoutMs`. */
export const POST_CONVERSATION_TIMEOUT_MS = 15_000

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
  const timeoutMs = options.timeoutMs ?? POST_CONVERSATION_TIMEOUT_MS
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw new TypeError(
      'smartsupp-hook/testing: postConversation options.timeoutMs must be a whole number of milliseconds from 1 to 2147483647',
    )
  }
  if (options.as !== undefined && options.as !== 'fetch' && options.as !== 'node') {
    throw new TypeError("smartsupp-hook/testing: postConversation options.as must be 'fetch' or 'node'")
  }
  const body = requestBody(payload)
  const headers = new Headers({ 'content-type': 'application/json' })
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  // Aborted on timeout too, so a request still in flight is not left open behind the rejection.
  const controller = new AbortController()
  const { signal } = options
  const abort = () => controller.abort(signal?.reason)
  if (signal?.aborted) abort()
  else signal?.addEventListener('abort', abort, { once: true })
  // Redirects are not followed: a 3xx is the receiver's answer (following a 302 would turn the POST into a GET).
  const init: RequestInit = { method: 'POST', headers, body, redirect: 'manual', signal: controller.signal }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `smartsupp-hook/testing: postConversation got no answer within ${timeoutMs} ms; the handler never answered (raise options.timeoutMs if it is only slow)`,
      )
      reject(error)
      controller.abort(error)
    }, timeoutMs)
  })
  try {
    return await Promise.race([send(target, init, options), timedOut])
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', abort)
  }
}

function send(target: PostTarget, init: RequestInit, options: PostConversationOptions): Promise<Response> {
  if (typeof target === 'function') {
    if (options.as === 'node' || (options.as === undefined && isExpressApp(target))) {
      return postToNode(target as NodeRequestListener, init, options)
    }
    return callFetchHandler(target as FetchHandler, new Request(options.url ?? 'http://localhost/', init))
  }
  if (isServer(target)) return postToNode(target, init, options)
  return (options.fetch ?? fetch)(target, init)
}

async function callFetchHandler(handler: FetchHandler, request: Request): Promise<Response> {
  let response: unknown
  try {
    response = await handler(request)
  } catch (e) {
    throw new Error(
      'smartsupp-hook/testing: postConversation: the Fetch handler threw instead of answering',
      {
        cause: e,
      },
    )
  }
  if (!(response instanceof Response)) {
    throw new TypeError(
      "smartsupp-hook/testing: postConversation: the Fetch handler did not return a Response (is it a Node listener (req, res)? pass { as: 'node' })",
    )
  }
  return response
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

// An Express app is a function with these methods; a plain function, whatever its arity, is a Fetch handler.
function isExpressApp(target: (...args: never[]) => unknown): boolean {
  const app = target as { handle?: unknown; use?: unknown }
  return typeof app.handle === 'function' && typeof app.use === 'function'
}

/** Serves `target` on 127.0.0.1 (an ephemeral port) unless it already listens, posts, and closes what it started. */
async function postToNode(
  target: NodeServerLike | NodeRequestListener,
  init: RequestInit,
  options: PostConversationOptions,
): Promise<Response> {
  // Loaded only here, so the testing entry still runs where there is no node:http (a Worker).
  const { createServer } = await import('node:http')
  let failed: (error: Error) => void = () => {}
  const failure = new Promise<never>((_resolve, reject) => {
    failed = reject
  })
  const server: NodeServerLike =
    typeof target === 'function'
      ? createServer(guarded(target, failed) as Parameters<typeof createServer>[0] & {})
      : target
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
    const answered = (async () => {
      const response = await (options.fetch ?? fetch)(url, init)
      // Read to the end before the server closes, so the returned Response stays readable.
      return { response, bytes: await response.arrayBuffer() }
    })()
    // A listener that throws fails the post at once instead of leaving the request unanswered.
    const { response, bytes } = await Promise.race([answered, failure])
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

/** Runs a listener so that a throw or a rejected promise ends its request and reaches `failed`. */
function guarded(
  listener: NodeRequestListener,
  failed: (error: Error) => void,
): (req: unknown, res: { destroy(): unknown }) => void {
  return (req, res) => {
    const fail = (e: unknown) => {
      failed(
        new Error('smartsupp-hook/testing: postConversation: the Node listener threw instead of answering', {
          cause: e,
        }),
      )
      res.destroy()
    }
    try {
      const result = (listener as (req: unknown, res: unknown) => unknown)(req, res)
      if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
        ;(result as PromiseLike<unknown>).then(undefined, fail)
      }
    } catch (e) {
      fail(e)
    }
  }
}

function requestBody(payload: unknown): string | Uint8Array<ArrayBuffer> {
  if (typeof payload === 'string') return payload
  // ArrayBuffer.isView, not instanceof: bytes from another realm (a vm, Jest's sandbox) are still bytes.
  if (ArrayBuffer.isView(payload)) {
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength).slice()
  }
  const json = JSON.stringify(payload)
  if (json === undefined) {
    throw new TypeError(
      'smartsupp-hook/testing: postConversation needs a JSON value, a string or bytes as the payload',
    )
  }
  return json
}
