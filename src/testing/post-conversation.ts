/** A Fetch-style request handler, e.g. the `smartsupp-hook/fetch` handler, Hono's `app.fetch`, a Next.js route. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/** Options of `postConversation`. */
export interface PostConversationOptions {
  /** Extra or replacing request headers. `content-type` defaults to `application/json`. */
  readonly headers?: Readonly<Record<string, string>>
  /** The request URL given to a handler target (ignored for URL targets). Default `http://localhost/`. */
  readonly url?: string | URL
  /** The `fetch` used for URL targets. Default: the global `fetch`. */
  readonly fetch?: typeof fetch
  /** Aborts the request. */
  readonly signal?: AbortSignal
}

/**
 * Sends a payload the way Smartsupp's POST hook does, a POST with the JSON body, to a URL (with
 * `fetch`) or straight to a Fetch-style handler, and returns the response. An object is sent as
 * `JSON.stringify` writes it; a string or bytes are sent unchanged (to test broken bodies). Redirects
 * are not followed: a 3xx answer is returned as it is.
 */
export async function postConversation(
  target: string | URL | FetchHandler,
  payload: unknown,
  options: PostConversationOptions = {},
): Promise<Response> {
  const body = requestBody(payload)
  const headers = new Headers({ 'content-type': 'application/json' })
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  // Redirects are not followed: a 3xx is the receiver's answer (following a 302 would turn the POST into a GET).
  const init: RequestInit = { method: 'POST', headers, body, redirect: 'manual' }
  if (options.signal !== undefined) init.signal = options.signal
  if (typeof target === 'function') {
    return await target(new Request(options.url ?? 'http://localhost/', init))
  }
  return await (options.fetch ?? fetch)(target, init)
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
