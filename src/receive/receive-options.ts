import type { DecodeFailure } from '../decode/decode-failure.js'
import { type DecodeMode, resolveOptions } from '../decode/options.js'
import type { PostHookConversation } from '../model/conversation.js'
import type { JsonValue } from '../model/json.js'
import type { ReceiveContext } from './receive-context.js'
import { SmartsuppTimeoutError } from './smartsupp-timeout-error.js'

/** What `onInvalid` may return to answer an undecodable body differently from the default 400. */
export interface InvalidReply {
  /** The HTTP status to answer with, an integer 200–599, e.g. 200 once the body is safely stored (else 500 and `onError`). */
  readonly status: number
  /** The JSON response body; default `{ error, issues }`. */
  readonly body?: JsonValue
}

/**
 * The dead-letter callback: every undecodable body with its raw bytes; return an `InvalidReply`
 * to answer otherwise than 400, or nothing. `Ctx` is what the adapter passes as its third argument.
 */
export type OnInvalid<Ctx> = (
  failure: DecodeFailure,
  rawBody: Uint8Array,
  context: Ctx,
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing keeps the default answer
) => InvalidReply | undefined | void | Promise<InvalidReply | undefined | void>

/** Options shared by every adapter (Express, node:http, Fetch); `Req` is the framework's request type. */
export interface ReceiveOptions<Req = unknown> {
  /** Called once per decoded delivery and awaited; the answer is 200 once it resolves, 500 if it throws. */
  readonly onConversation: (conversation: PostHookConversation, context: ReceiveContext<Req>) => unknown
  /**
   * Called with every body that cannot be decoded, with its raw bytes (a dead letter; exact unless
   * a body parser ran first, see `context.rawBodyNote`). Default answer: 400 `{ error, issues }`;
   * return an `InvalidReply` to answer otherwise. If it throws: 500 and `onError`. Default:
   * `console.error` with the failure and the body's size, so no body goes unnoticed.
   */
  readonly onInvalid?: OnInvalid<ReceiveContext<Req>>
  /**
   * Called once for every delivery answered without its body reaching a callback, or whose
   * callback failed: `onConversation` or `onInvalid` threw (500) or took longer than `timeoutMs`
   * (503, a `SmartsuppTimeoutError`); a body over `limit` (413), a `Content-Encoding` not
   * inflated (415) or a body parser's refusal in front of the handler (a `SmartsuppRefusedError`
   * with `status`, `bodyBytes` and the fix). `context.rawBody` holds the body when it was read
   * (empty when not: `context.rawBodySource` is `'none'`). Not called for 401 and 405. Default:
   * `console.error`.
   */
  readonly onError?: (error: unknown, context: ReceiveContext<Req>) => unknown
  /**
   * The secret the customer put into the hook URL, as `?token=` or as a path segment. Compared in
   * constant time; wrong or missing → 401 and no callback. Leave the key out to check no token;
   * present but `undefined` (an unset environment variable) throws a `TypeError` at creation.
   */
  readonly token?: string
  /** The largest body accepted, in bytes; larger → 413 without reading the rest. Default 1 MiB (1 048 576). */
  readonly limit?: number
  /**
   * How long `onConversation`, `onInvalid` and then `onError` may take together, in milliseconds,
   * before the delivery is answered 503 and `onError` gets a `SmartsuppTimeoutError` with the raw
   * body; whatever the callback does later is ignored. Default 10 000 (10 s).
   */
  readonly timeoutMs?: number
  /** `'lenient'` (default) or `'strict'`: see `DecodeMode`. */
  readonly mode?: DecodeMode
  /** How many issues a failure keeps with their details. Default 50. */
  readonly maxIssues?: number
}

/** The default body limit: 1 MiB, in bytes. */
export const DEFAULT_LIMIT_BYTES = 1_048_576

/**
 * The default callback deadline: 10 s, in milliseconds. Writing one conversation somewhere takes
 * milliseconds; 10 s leaves a slow database room and still answers well before the 30 s that
 * HTTP clients and proxies commonly give up after, so the sender learns the outcome.
 */
export const DEFAULT_TIMEOUT_MS = 10_000

/** Options checked once, when the handler is created. */
export interface ResolvedReceiveOptions<Req> {
  readonly onConversation: ReceiveOptions<Req>['onConversation']
  readonly onInvalid: NonNullable<ReceiveOptions<Req>['onInvalid']>
  readonly onError: (error: unknown, context: ReceiveContext<Req>) => unknown
  readonly token: Uint8Array | null
  readonly limit: number
  readonly timeoutMs: number
  readonly decode: ResolvedDecodeOptions
}

/** Decode options checked once: the mode, and `maxIssues` when given. */
export type ResolvedDecodeOptions = { readonly mode: DecodeMode; readonly maxIssues?: number }

/** Checks `mode` and `maxIssues` once, at creation (a `TypeError` naming the option), and returns them. */
export function resolveDecodeOptions(mode: unknown = 'lenient', maxIssues?: number): ResolvedDecodeOptions {
  if (mode !== 'lenient' && mode !== 'strict') {
    throw new TypeError(`smartsupp-hook: options.mode must be 'lenient' or 'strict', got ${String(mode)}`)
  }
  // The decoder's own check, run once here so a bad maxIssues fails at start-up, not per request.
  resolveOptions({ mode, ...(maxIssues === undefined ? {} : { maxIssues }) })
  return maxIssues === undefined ? { mode } : { mode, maxIssues }
}

/** Checks a body limit once, at creation: a whole number of bytes >= 1, else a `TypeError`. */
export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new TypeError(
      `smartsupp-hook: options.limit must be a whole number of bytes >= 1, got ${String(limit)}`,
    )
  }
  return limit
}

/** Checks a callback deadline once, at creation: a whole number of milliseconds from 1 to 2 147 483 647, else a `TypeError`. */
export function checkTimeout(timeoutMs: unknown): number {
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isSafeInteger(timeoutMs) ||
    timeoutMs < 1 ||
    timeoutMs > 2_147_483_647
  ) {
    throw new TypeError(
      `smartsupp-hook: options.timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(timeoutMs)}`,
    )
  }
  return timeoutMs
}

function logError(error: unknown, context: ReceiveContext): void {
  const status = answeredStatus(error)
  console.error(
    `smartsupp-hook: a delivery was answered ${status} (${status < 500 ? 'refused before a callback' : 'a callback failed, or the body could not be read'}: the error says which and how to fix it); pass onError to ${context.rawBodySource === 'none' ? 'hear of it in your own logs' : `keep the raw body (${context.rawBody.length} bytes)`}`,
    error,
  )
}

/** The status an error passed to `onError` stands for: its own `status` (a refusal, a timeout), else 500. */
export function answeredStatus(error: unknown): number {
  if (error instanceof SmartsuppTimeoutError) return 503
  const status = (error as { status?: unknown } | null)?.status
  return error instanceof Error && error.name.startsWith('Smartsupp') && typeof status === 'number'
    ? status
    : 500
}

function logInvalid(failure: DecodeFailure, rawBody: Uint8Array): void {
  console.error(
    `smartsupp-hook: an undecodable body was answered 400 and not kept (${rawBody.length} bytes); pass onInvalid to keep it. ${failure.message}`,
  )
}

/**
 * Checks the options once, when a handler is created: a wrong option is the caller's bug, so it
 * throws a `TypeError` naming the option, never per request.
 */
export function resolveReceiveOptions<Req>(options: ReceiveOptions<Req>): ResolvedReceiveOptions<Req> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('smartsupp-hook: pass options with at least onConversation(conversation, context)')
  }
  const {
    onConversation,
    onInvalid,
    onError,
    token,
    limit = DEFAULT_LIMIT_BYTES,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    mode = 'lenient',
  } = options
  if (typeof onConversation !== 'function') {
    throw new TypeError('smartsupp-hook: options.onConversation must be a function (conversation, context)')
  }
  if (onInvalid !== undefined && typeof onInvalid !== 'function') {
    throw new TypeError('smartsupp-hook: options.onInvalid must be a function (failure, rawBody, context)')
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError('smartsupp-hook: options.onError must be a function (error, context)')
  }
  if ('token' in options && token === undefined) {
    throw new TypeError(
      'smartsupp-hook: options.token is undefined (an unset environment variable?), which would turn the token check off; set it, or leave the token key out to accept requests without a token',
    )
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new TypeError('smartsupp-hook: options.token must be a non-empty string (or left out)')
  }
  const decode = resolveDecodeOptions(mode, options.maxIssues)
  return {
    onConversation,
    onInvalid: onInvalid ?? logInvalid,
    onError: onError ?? logError,
    token: token === undefined ? null : new TextEncoder().encode(token),
    limit: checkLimit(limit),
    timeoutMs: checkTimeout(timeoutMs),
    decode,
  }
}
