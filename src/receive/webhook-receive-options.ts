import type { WebhookEvent } from '../model/webhook-event.js'
import type { EventStore } from '../store/event-store.js'
import type { ReceiveContext } from './receive-context.js'
import {
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
   * `app_id` → 401 and no callback. Leave the key out to accept any; present but `undefined` throws.
   */
  readonly appId?: string
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
   * Called when `onEvent` or `onInvalid` throws or times out (the answer is 500 or 503), with the
   * raw body in `context.rawBody` so the delivery can still be kept. Default: `console.error`.
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
  readonly limit: number
  readonly timeoutMs: number
  readonly decode: ResolvedDecodeOptions
}

const SECRET_FIX =
  "pass the app's webhook secret (the one Smartsupp signs X-Smartsupp-Hmac with), e.g. secret: process.env.SMARTSUPP_WEBHOOK_SECRET, and make sure that variable is set; while rotating, pass both: secret: [newSecret, oldSecret]"

function logError(error: unknown, context: ReceiveContext): void {
  console.error(
    `smartsupp-hook: a webhook callback failed (answered 5xx, Smartsupp re-delivers); pass onError to keep the raw body (${context.rawBody.length} bytes)`,
    error,
  )
}

function logInvalid(failure: { readonly message: string }, rawBody: Uint8Array): void {
  console.error(
    `smartsupp-hook: an authentic but undecodable webhook body was answered 400 and not kept (${rawBody.length} bytes); pass onInvalid to keep it. ${failure.message}`,
  )
}

function checkSecret(secret: unknown, at: string): WebhookSecret {
  const empty =
    typeof secret === 'string' ? secret === '' : ArrayBuffer.isView(secret) ? secret.byteLength === 0 : null
  if (empty === null) {
    throw new TypeError(
      `smartsupp-hook: ${at} is ${secret === undefined ? 'undefined (an unset environment variable?)' : `not a string or bytes (${typeof secret})`}; ${SECRET_FIX}`,
    )
  }
  if (empty)
    throw new TypeError(`smartsupp-hook: ${at} is empty, which no signature can match; ${SECRET_FIX}`)
  return secret as WebhookSecret
}

/**
 * Checks webhook options once, when a receiver is created: a wrong option is the caller's bug,
 * so it throws a `TypeError` naming the option (and, for `secret`, the fix), never per request.
 */
export function resolveWebhookReceiveOptions<Req>(
  options: WebhookReceiveOptions<Req>,
): ResolvedWebhookReceiveOptions<Req> {
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
    ? (secret as readonly unknown[]).map((s, i) => checkSecret(s, `options.secret[${i}]`))
    : [checkSecret(secret, 'options.secret')]
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
    limit: resolvedLimit,
    timeoutMs: resolvedTimeoutMs,
    decode,
  }
}
