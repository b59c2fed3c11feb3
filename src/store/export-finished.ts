import type { DecodeMode } from '../decode/options.js'
import type { AssembledConversation } from '../model/conversation.js'
import type { EventStore, ExportClaim, StoredEvent } from './event-store.js'
import { claimDue, exportOne } from './export-one.js'
import { exportsClosed } from './running-exports.js'

export { AssemblyError, assembleStored } from './assemble-stored.js'
export { ExportNotMarkedError } from './export-not-marked-error.js'

/** What `onConversationFinished` receives besides the conversation. */
export interface FinishedContext {
  /** `closed`: a closing event was received; `quiet`: nothing came for `quietMs`. */
  readonly reason: 'closed' | 'quiet'
  /**
   * Which export of the conversation this is: 1 the first; 2, 3… when events that arrived after
   * the last export made it due again, whole. Write with an upsert on the conversation id that
   * keeps the highest revision.
   */
  readonly revision: number
  /** 1 on the first try of this revision; more after failed (or timed-out) tries. */
  readonly attempt: number
  /** The conversation's stored events, raw bytes included, oldest first. */
  readonly storedEvents: readonly StoredEvent[]
  /** The claim this export runs under (its `owner` and lease end `until`, renewed while it runs). */
  readonly claim: ExportClaim
  /**
   * Aborts when this try is given up: at `exportTimeoutMs` (reason: `ExportTimeoutError`) or
   * when the claim is lost (`ClaimLostError`). Pass it to `fetch` or your client, or check it
   * before writing, so a given-up try stops.
   */
  readonly signal: AbortSignal
}

/**
 * Called once per revision of each finished conversation with the conversation assembled from
 * its stored events. Resolve once it is exported (written to the CRM…); throw or reject to have
 * it retried later.
 */
export type OnConversationFinished = (
  conversation: AssembledConversation,
  context: FinishedContext,
) => unknown

/** Options of `exportFinished` (and of the receivers' `store` integration). */
export interface ExportFinishedOptions {
  readonly store: EventStore
  readonly onConversationFinished: OnConversationFinished
  /**
   * A conversation that was never closed counts as finished once nothing was received for it for
   * this long (ms). `null`: only closed conversations are exported. Default 30 minutes.
   */
  readonly quietMs?: number | null
  /**
   * A closed conversation is exported once nothing arrived for it for this long (ms), so events
   * delivered late or out of order (a re-delivery, a rating after the close) are in it. Default
   * 30 seconds; 0 exports at the closing event. Events that come later still make a new revision.
   */
  readonly settleMs?: number
  /**
   * How long a claim holds unless renewed (ms): it is renewed every `leaseMs / 3` while the
   * export runs, so this is how soon another process takes over the conversations of one that
   * died. Default 60 seconds.
   */
  readonly leaseMs?: number
  /**
   * How long one try may take (ms), reading the events and `onConversationFinished` together:
   * then it is given up (`context.signal` aborts), reported as an `ExportTimeoutError` and retried
   * after its delay. Default 30 seconds. May exceed `leaseMs` (the lease is renewed).
   */
  readonly exportTimeoutMs?: number
  /**
   * After this many failed, timed-out or abandoned tries in a row, a conversation becomes
   * `failed`: not claimed again until `smartsupp-hook export --retry`. Default 20 (with the
   * default delays, about two hours of retries).
   */
  readonly maxExportAttempts?: number
  /** Who claims (one id per process). Default: `$HOSTNAME` when set, the process id and a random part. */
  readonly owner?: string
  /** Claim (and export concurrently) at most this many conversations in one call. Default 10. */
  readonly limit?: number
  /** Export only this conversation (its stored id), if it is due. */
  readonly conversationId?: string
  /** How stored events are decoded. Default `'lenient'`. */
  readonly mode?: DecodeMode
  /** The delay before a failed try is repeated: `attempt` (1 after the first failure) → ms. Default 2^attempt s, at most 10 minutes. */
  readonly retryDelayMs?: (attempt: number) => number
  /**
   * Called with each failed try's error and its conversation id (`null` when the store failed
   * before a conversation was claimed); default `console.error`. The conversation is kept and
   * retried. Called, not awaited: a promise it returns holds nothing up (its rejection is ignored).
   */
  readonly onError?: (error: unknown, conversationId: string | null) => unknown
}

/** One conversation whose export did not succeed in an `exportFinished` call. */
export interface ExportFailure {
  readonly conversationId: string
  /** The error's message. */
  readonly error: string
  /** `true` when it is now `failed` (retried only by `export --retry`); `false` when it is retried after its delay. */
  readonly gaveUp: boolean
}

/** What one `exportFinished` call did. */
export interface ExportReport {
  /** Conversations whose `onConversationFinished` resolved. */
  readonly exported: readonly string[]
  /** Conversations whose try failed, timed out or lost its claim. */
  readonly failed: readonly ExportFailure[]
}

/** The defaults, one place. */
export const DEFAULT_QUIET_MS = 30 * 60_000
export const DEFAULT_SETTLE_MS = 30_000
export const DEFAULT_LEASE_MS = 60_000
export const DEFAULT_EXPORT_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_EXPORT_ATTEMPTS = 20
export const DEFAULT_EXPORT_LIMIT = 10
const MAX_RETRY_DELAY_MS = 10 * 60_000
/** setTimeout's largest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * A unique claimer id for this process: `$HOSTNAME` when set, its pid where there is one (for
 * people reading the store) and a random part. No Node builtin, so Fetch runtimes can export too.
 */
export function defaultOwner(): string {
  // No `node:os`: this module is on the Fetch adapter's path, which runs where Node's modules do
  // not (Workers, Deno, edge functions). HOSTNAME is set in containers (the pod or container name).
  const proc = (globalThis as { process?: { pid?: unknown; env?: Record<string, string | undefined> } })
    .process
  const host = proc?.env?.HOSTNAME
  const pid = typeof proc?.pid === 'number' ? String(proc.pid) : 'web'
  const random = globalThis.crypto.randomUUID()
  return host === undefined || host === '' ? `${pid}:${random}` : `${host}:${pid}:${random}`
}

/** 2^attempt seconds, at most 10 minutes. */
export function defaultRetryDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** Math.min(attempt, 20))
}

/**
 * Claims the conversations that are due (closed and settled, or quiet for `quietMs`; a failed
 * try whose retry delay passed; a claim whose owner died; an exported one that received events
 * since, as its next revision), and exports them concurrently, each on its own: it is assembled
 * from all its stored events and handed to `onConversationFinished` with `exportTimeoutMs` to
 * finish, its lease renewed meanwhile, then marked exported with the number of events it held.
 * A throw or a timeout releases it with a retry delay and is reported to `onError`; after
 * `maxExportAttempts` tries in a row it becomes `failed`. Nothing is lost. Across processes
 * sharing one store, each conversation is exported once per revision, except after a process
 * died mid-export and when the store failed to mark a finished export (`ExportNotMarkedError`):
 * upsert on the conversation id. Rejects only when the claim itself fails.
 */
export async function exportFinished(options: ExportFinishedOptions): Promise<ExportReport> {
  const settings = resolveExportOptions(options)
  // This process is shutting down (closeOnSignals): it claims nothing more.
  if (exportsClosed(settings.store)) return { exported: [], failed: [] }
  const claims = await claimDue(settings, settings.limit, options.conversationId)
  const outcomes = await Promise.all(claims.map((claim) => exportOne(claim, settings)))
  const exported: string[] = []
  const failed: ExportFailure[] = []
  for (const outcome of outcomes) {
    if (outcome.error === null) exported.push(outcome.conversationId)
    else failed.push({ conversationId: outcome.conversationId, error: outcome.error, gaveUp: outcome.gaveUp })
  }
  return { exported, failed }
}

/** `ExportFinishedOptions` with every default filled in and checked. */
export interface ResolvedExportOptions {
  readonly store: EventStore
  readonly onConversationFinished: OnConversationFinished
  readonly quietMs: number | null
  readonly settleMs: number
  readonly leaseMs: number
  readonly exportTimeoutMs: number
  readonly maxExportAttempts: number
  readonly owner: string
  readonly limit: number
  readonly mode: DecodeMode
  readonly retryDelayMs: (attempt: number) => number
  readonly onError: (error: unknown, conversationId: string | null) => unknown
}

const positive = (value: unknown, name: string, max = Number.MAX_VALUE): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new TypeError(
      `smartsupp-hook: ${name} must be a positive number of milliseconds${max < Number.MAX_VALUE ? ` (at most ${max})` : ''}`,
    )
  }
  return value
}

const atLeastZero = (value: unknown, name: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`smartsupp-hook: ${name} must be a number of milliseconds ≥ 0`)
  }
  return value
}

const positiveInteger = (value: unknown, name: string): number => {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new TypeError(`smartsupp-hook: ${name} must be a positive integer`)
  }
  return value as number
}

/** Checks export options once; a wrong one throws a `TypeError` naming it. */
export function resolveExportOptions(options: ExportFinishedOptions): ResolvedExportOptions {
  const { store, onConversationFinished } = options
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof store.claimFinished !== 'function' ||
    typeof store.renew !== 'function' ||
    typeof store.markFailed !== 'function'
  ) {
    throw new TypeError(
      'smartsupp-hook: store must be an EventStore (memoryEventStore(), pgliteEventStore() or postgresEventStore()) with claimFinished, renew and markFailed',
    )
  }
  if (typeof onConversationFinished !== 'function') {
    throw new TypeError('smartsupp-hook: onConversationFinished must be a function (conversation, context)')
  }
  const quietMs = options.quietMs === undefined ? DEFAULT_QUIET_MS : options.quietMs
  if (options.owner !== undefined && (typeof options.owner !== 'string' || options.owner === '')) {
    throw new TypeError('smartsupp-hook: owner must be a non-empty string (or left out)')
  }
  if (options.retryDelayMs !== undefined && typeof options.retryDelayMs !== 'function') {
    throw new TypeError('smartsupp-hook: retryDelayMs must be a function (attempt) => milliseconds')
  }
  return {
    store,
    onConversationFinished,
    quietMs: quietMs === null ? null : positive(quietMs, 'quietMs'),
    settleMs: atLeastZero(options.settleMs ?? DEFAULT_SETTLE_MS, 'settleMs'),
    leaseMs: positive(options.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs', MAX_TIMER_MS),
    exportTimeoutMs: positive(
      options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS,
      'exportTimeoutMs',
      MAX_TIMER_MS,
    ),
    maxExportAttempts: positiveInteger(
      options.maxExportAttempts ?? DEFAULT_MAX_EXPORT_ATTEMPTS,
      'maxExportAttempts',
    ),
    owner: options.owner ?? defaultOwner(),
    limit: positiveInteger(options.limit ?? DEFAULT_EXPORT_LIMIT, 'limit'),
    mode: options.mode ?? 'lenient',
    retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
    onError:
      options.onError ??
      ((error, conversationId) =>
        console.error(
          `smartsupp-hook: exporting ${conversationId === null ? 'finished conversations' : `conversation ${conversationId}`} failed; it is kept and retried later`,
          error,
        )),
  }
}
