import type { WebhookEvent } from '../model/webhook-event.js'
import type { EventStore } from '../store/event-store.js'
import type { ReceiveContext } from './receive-context.js'
import {
  answeredStatus,
  checkLimit,
  checkTimeout,
  DEFAULT_LIMIT_BYTES,
  DEFAULT_TIMEOUT_MS,
  type OnInvalid,
  type ReceiveOptions,
  type ResolvedDecodeOptions,
  resolveDecodeOptions,
} from './receive-options.js'
import { type StoreReceiveOptions, storingCallbacks } from './store-events.js'
import type { WebhookSecret } from './verify-webhook-signature.js'

/**
 * Options of every webhook receiver (Express, node:http, Fetch, NestJS); `Req` is the framework's
 * request type. The same style as the POST hook's `ReceiveOptions`, with `secret` instead of `token`.
 */
export interface WebhookReceiveOptions<Req = unknown>
  extends Pick<ReceiveOptions<Req>, 'limit' | 'timeoutMs' | 'mode' | 'maxIssues'>,
    StoreReceiveOptions {
  /**
   * The app's shared secret that signs `X-Smartsupp-Hmac`, or several while you rotate (any one
   * matching is enough). Required: missing, empty or `undefined` (an unset environment variable)
   * throws a `TypeError` at creation.
   */
  readonly secret: WebhookSecret | readonly WebhookSecret[]
  /**
   * Accept only events whose `app_id` is this (one app's secret, one app's events); another or no
   * `app_id` → 401 and no callback. It applies to an authentic body that does not decode too,
   * whenever that body is a JSON object (so another app's broken events are not kept as
   * poisoned). Leave the key out to accept any; present but `undefined` throws.
   */
  readonly appId?: string
  /**
   * A replay window, off by default: refuse an authentic event whose `timestamp` is more than this
   * many milliseconds old, with 403, no other callback and nothing stored; `onError` gets a
   * `SmartsuppRefusedError` (`reason: 'too_old'`) and the exact bytes in `context.rawBody`. Smartsupp's
   * `timestamp` is when the event happened and a re-delivery keeps it, so a window also refuses a
   * legitimate re-delivery that comes later than the window (every time it comes): set it only
   * when a replayed old delivery would do harm and a store's de-duplication is not enough. An
   * event whose timestamp cannot be read is not judged. `null` or left out: off.
   */
  readonly maxEventAgeMs?: number | null
  /**
   * Called once per authentic, decoded event (unknown event names included, as `known: false`)
   * and awaited; the answer is 200 once it resolves, 500 if it throws (Smartsupp re-delivers).
   * Required unless `store` is given; with a store it runs after the event is stored, on
   * re-deliveries too.
   */
  readonly onEvent?: (event: WebhookEvent, context: ReceiveContext<Req>) => unknown
  /**
   * Called with every authentic body that cannot be decoded, with its exact bytes (a dead letter).
   * Default answer: 400 `{ error, issues }`, which Smartsupp re-delivers; return `{ status: 200 }`
   * once the body is stored to stop that. If it throws: 500 and `onError`. Default: `console.error`.
   */
  readonly onInvalid?: OnInvalid<ReceiveContext<Req>>
  /**
   * Called once for every webhook answered without reaching a callback or whose callback failed:
   * `onEvent` or `onInvalid` threw (500) or timed out (503, a `SmartsuppTimeoutError`), with the
   * raw body in `context.rawBody` so the delivery can still be kept; a body over `limit` (413), a
   * `Content-Encoding` not inflated (415), a body parser's refusal, or an event older than
   * `maxEventAgeMs` (403): a `SmartsuppRefusedError` with `status`, `bodyBytes` and the fix
   * (`context.rawBody` is empty when the body was not read). Not called for 401 (an unverified
   * body reaches none of your code) and 405. Default: `console.error`.
   */
  readonly onError?: (error: unknown, context: ReceiveContext<Req>) => unknown
}

/** What the receivers call on a store: an object missing one of them is refused at creation. */
const STORE_METHODS = [
  'append',
  'events',
  'claimFinished',
  'markExported',
  'release',
] as const satisfies readonly (keyof EventStore)[]

/** Options that only mean something with a store: given without one, they are a mistake. */
const STORE_ONLY_OPTIONS = [
  'settleMs',
  'quietMs',
  'leaseMs',
  'exportTimeoutMs',
  'maxExportAttempts',
  'sweepIntervalMs',
  'exportWaitMs',
  'exportSweep',
  'onExportError',
  'owner',
] as const satisfies readonly (keyof StoreReceiveOptions)[]

/** Webhook options checked once, when the receiver is created. */
export interface ResolvedWebhookReceiveOptions<Req> {
  readonly onEvent: (event: WebhookEvent, context: ReceiveContext<Req>) => unknown
  readonly onInvalid: OnInvalid<ReceiveContext<Req>>
  readonly onError: (error: unknown, context: ReceiveContext<Req>) => unknown
  readonly secret: readonly WebhookSecret[]
  readonly appId: string | null
  readonly maxEventAgeMs: number | null
  readonly limit: number
  readonly timeoutMs: number
  readonly decode: ResolvedDecodeOptions
}

const SECRET_FIX =
  "pass the app's webhook secret (the one Smartsupp signs X-Smartsupp-Hmac with), e.g. secret: process.env.SMARTSUPP_WEBHOOK_SECRET, and make sure that variable is set; while rotating, pass both: secret: [newSecret, oldSecret]"

function logError(error: unknown, context: ReceiveContext): void {
  const status = answeredStatus(error)
  console.error(
    `smartsupp-hook: a webhook was answered ${status} (${status < 500 ? 'refused before its callbacks' : 'a callback failed'}; Smartsupp re-delivers); pass onError to ${context.rawBodySource === 'none' ? 'hear of it in your own logs' : `keep the raw body (${context.rawBody.length} bytes)`}`,
    error,
  )
}

function logInvalid(failure: { readonly message: string }, rawBody: Uint8Array): void {
  console.error(
    `smartsupp-hook: an authentic but undecodable webhook body was answered 400 and not kept (${rawBody.length} bytes); pass onInvalid to keep it. ${failure.message}`,
  )
}

/**
 * The shortest secret accepted, in bytes (UTF-8 for a string). Smartsupp issues the secret (one
 * seen in public code is 40 hex digits), so a shorter value is a placeholder, a cut-off variable
 * or a test value; and a key this short can be found offline by anyone holding one signed
 * delivery (each guess costs one HMAC), so it would protect nothing.
 */
export const MIN_SECRET_BYTES = 16

/** Values that are a configuration mistake, not a secret: stringified nothing, and Smartsupp's doc placeholder. */
const PLACEHOLDERS = new Set(['undefined', 'null', 'your_client_secret'])

function checkSecret(secret: unknown, at: string, minBytes: number): WebhookSecret {
  const empty =
    typeof secret === 'string' ? secret === '' : ArrayBuffer.isView(secret) ? secret.byteLength === 0 : null
  if (empty === null) {
    throw new TypeError(
      `smartsupp-hook: ${at} is ${secret === undefined ? 'undefined (an unset environment variable?)' : `not a string or bytes (${typeof secret})`}; ${SECRET_FIX}`,
    )
  }
  if (empty)
    throw new TypeError(`smartsupp-hook: ${at} is empty, which no signature can match; ${SECRET_FIX}`)
  if (typeof secret === 'string') {
    if (secret.trim() === '') {
      throw new TypeError(
        `smartsupp-hook: ${at} is only whitespace (an unset variable in a template?); ${SECRET_FIX}`,
      )
    }
    if (PLACEHOLDERS.has(secret.trim().toLowerCase())) {
      throw new TypeError(
        `smartsupp-hook: ${at} is the text ${JSON.stringify(secret)}, ${secret.trim().toLowerCase() === 'your_client_secret' ? "the placeholder of Smartsupp's documentation" : 'what an unset value becomes when written into a string'}, not a secret; ${SECRET_FIX}`,
      )
    }
    if (secret.trim() !== secret) {
      throw new TypeError(
        `smartsupp-hook: ${at} starts or ends with whitespace (a newline from a file or an .env line?), which would be signed as part of the key; pass it trimmed, e.g. secret: process.env.SMARTSUPP_WEBHOOK_SECRET?.trim()`,
      )
    }
  }
  const bytes =
    typeof secret === 'string'
      ? new TextEncoder().encode(secret).byteLength
      : (secret as ArrayBufferView).byteLength
  if (bytes < minBytes) {
    throw new TypeError(
      `smartsupp-hook: ${at} is ${bytes} bytes long; a webhook secret must have at least ${MIN_SECRET_BYTES}: a shorter value is a placeholder or a cut-off variable, not the secret Smartsupp issued, and a key this short can be guessed offline from one signed delivery. ${SECRET_FIX}; in tests, make one up that is long enough, e.g. 'test-webhook-secret-0123456789'`,
    )
  }
  return secret as WebhookSecret
}

/**
 * Checks webhook options once, when a receiver is created: a wrong option is the caller's bug,
 * so it throws a `TypeError` naming the option (and, for `secret`, the fix), never per request.
 * `internal.minSecretBytes` (default `MIN_SECRET_BYTES`) is for this package's local tools
 * (`smartsupp-hook inspect --secret s`), where a made-up secret is the point; every adapter
 * keeps the default.
 */
export function resolveWebhookReceiveOptions<Req>(
  options: WebhookReceiveOptions<Req>,
  internal: { readonly minSecretBytes?: number } = {},
): ResolvedWebhookReceiveOptions<Req> {
  const minSecretBytes = internal.minSecretBytes ?? MIN_SECRET_BYTES
  if (options === null || typeof options !== 'object') {
    throw new TypeError('smartsupp-hook: pass options with at least secret and onEvent(event, context)')
  }
  const {
    secret,
    appId,
    onEvent,
    onInvalid,
    onError,
    limit = DEFAULT_LIMIT_BYTES,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    mode = 'lenient',
  } = options
  const secrets = Array.isArray(secret)
    ? (secret as readonly unknown[]).map((s, i) => checkSecret(s, `options.secret[${i}]`, minSecretBytes))
    : [checkSecret(secret, 'options.secret', minSecretBytes)]
  if (secrets.length === 0)
    throw new TypeError(`smartsupp-hook: options.secret is an empty array; ${SECRET_FIX}`)
  const { store } = options
  if (
    store !== undefined &&
    (store === null ||
      typeof store !== 'object' ||
      !STORE_METHODS.every((m) => typeof store[m] === 'function'))
  ) {
    throw new TypeError(
      'smartsupp-hook: options.store must be an EventStore (memoryEventStore(), pgliteEventStore() or postgresEventStore()), or left out',
    )
  }
  if (
    store === undefined
      ? typeof onEvent !== 'function'
      : onEvent !== undefined && typeof onEvent !== 'function'
  ) {
    throw new TypeError(
      'smartsupp-hook: options.onEvent must be a function (event, context); it may be left out only when options.store is given',
    )
  }
  if (store === undefined && options.onConversationFinished !== undefined) {
    throw new TypeError(
      'smartsupp-hook: options.onConversationFinished needs options.store, where the events of each conversation are collected (e.g. store: pgliteEventStore({ dataDir: "./smartsupp-events" }))',
    )
  }
  if (store === undefined) {
    const given = STORE_ONLY_OPTIONS.filter((name) => options[name] !== undefined)
    if (given.length > 0) {
      throw new TypeError(
        `smartsupp-hook: options.${given.join(', options.')} ${given.length === 1 ? 'has' : 'have'} no effect without options.store; give a store (e.g. store: pgliteEventStore({ dataDir: "./smartsupp-events" })) or leave ${given.length === 1 ? 'it' : 'them'} out`,
      )
    }
  }
  if (onInvalid !== undefined && typeof onInvalid !== 'function') {
    throw new TypeError('smartsupp-hook: options.onInvalid must be a function (failure, rawBody, context)')
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError('smartsupp-hook: options.onError must be a function (error, context)')
  }
  if ('appId' in options && appId === undefined) {
    throw new TypeError(
      'smartsupp-hook: options.appId is undefined (an unset environment variable?); set it, or leave the appId key out to accept events of any app signed with the secret',
    )
  }
  if (appId !== undefined && (typeof appId !== 'string' || appId === '')) {
    throw new TypeError('smartsupp-hook: options.appId must be a non-empty string (or left out)')
  }
  const { maxEventAgeMs = null } = options
  if (
    maxEventAgeMs !== null &&
    (typeof maxEventAgeMs !== 'number' || !Number.isSafeInteger(maxEventAgeMs) || maxEventAgeMs < 1)
  ) {
    throw new TypeError(
      `smartsupp-hook: options.maxEventAgeMs must be a whole number of milliseconds >= 1, or null (no window), got ${String(maxEventAgeMs)}`,
    )
  }
  const resolvedTimeoutMs = checkTimeout(timeoutMs)
  const resolvedOnError = onError ?? logError
  const resolvedLimit = checkLimit(limit)
  const decode = resolveDecodeOptions(mode, options.maxIssues)
  // Last: with onConversationFinished it starts the store's export sweep, which only a receiver
  // whose every option is valid may do.
  const storing =
    store === undefined
      ? null
      : storingCallbacks<Req>(store, {
          ...options,
          timeoutMs: resolvedTimeoutMs,
        })
  return {
    onEvent: storing?.onEvent ?? (onEvent as NonNullable<typeof onEvent>),
    onInvalid: storing?.onInvalid ?? onInvalid ?? logInvalid,
    onError: resolvedOnError,
    secret: secrets,
    appId: appId ?? null,
    maxEventAgeMs,
    limit: resolvedLimit,
    timeoutMs: resolvedTimeoutMs,
    decode,
  }
}
