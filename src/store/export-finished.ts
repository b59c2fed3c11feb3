import { assembleConversation } from '../assemble/assemble-conversation.js'
import type { DecodeMode } from '../decode/options.js'
import { parseWebhookEvent } from '../decode/webhook/parse-webhook-event.js'
import type { AssembledConversation } from '../model/conversation.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { EventStore, ExportClaim, StoredEvent } from './event-store.js'

/** What `onConversationFinished` receives besides the conversation. */
export interface FinishedContext {
  /** `closed`: a closing event was received; `quiet`: nothing came for `quietMs`. */
  readonly reason: 'closed' | 'quiet'
  /** 1 on the first try; more after a failed export was retried. */
  readonly attempt: number
  /** The conversation's stored events, raw bytes included, oldest first. */
  readonly storedEvents: readonly StoredEvent[]
  /** The claim this export runs under (its `owner` and lease end `until`). */
  readonly claim: ExportClaim
}

/**
 * Called once per finished conversation with the conversation assembled from its stored events.
 * Resolve once it is exported (written to the CRM…); throw or reject to have it retried later.
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
   * 30 seconds; 0 exports at the closing event.
   */
  readonly settleMs?: number
  /**
   * How long one export may take before another process may claim the conversation again (the
   * first is presumed dead). Default 5 minutes; keep it above your slowest export.
   */
  readonly leaseMs?: number
  /** Who claims (one id per process). Default: `$HOSTNAME` when set, the process id and a random part. */
  readonly owner?: string
  /** Export at most this many conversations in one call. Default 10. */
  readonly limit?: number
  /** Export only this conversation (if it is finished and due). */
  readonly conversationId?: string
  /** How stored events are decoded. Default `'lenient'`. */
  readonly mode?: DecodeMode
  /** The delay before a failed export is tried again: `attempt` → ms. Default 2^attempt s, at most 10 minutes. */
  readonly retryDelayMs?: (attempt: number) => number
  /**
   * Called with each failed export's error and its conversation id (`null` when the store failed
   * before a conversation was claimed); default `console.error`. The conversation is kept and retried.
   */
  readonly onError?: (error: unknown, conversationId: string | null) => unknown
}

/** What one `exportFinished` call did. */
export interface ExportReport {
  /**
   * Conversations whose `onConversationFinished` resolved. When the export outlived `leaseMs` and
   * another process claimed the conversation meanwhile, it is in `exported` here and exported
   * there too (the one case of a second call; see `leaseMs`).
   */
  readonly exported: readonly string[]
  /** Conversations whose export failed; they are retried after their delay. */
  readonly failed: readonly { readonly conversationId: string; readonly error: string }[]
}

/** The defaults, one place. */
export const DEFAULT_QUIET_MS = 30 * 60_000
export const DEFAULT_SETTLE_MS = 30_000
export const DEFAULT_LEASE_MS = 5 * 60_000
const DEFAULT_LIMIT = 10
const MAX_RETRY_DELAY_MS = 10 * 60_000

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

const messageOf = (error: unknown): string => {
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return 'an error that could not be shown'
  }
}

/** Why a conversation could not be assembled from its stored events. */
export class AssemblyError extends Error {
  override readonly name = 'SmartsuppAssemblyError'
}

/**
 * Claims the finished conversations that are due (closed, or quiet for `quietMs`, or a failed
 * export whose retry delay passed), assembles each from its stored events and awaits
 * `onConversationFinished`, then marks it exported. A throw releases the claim with a retry
 * delay and is reported to `onError`; nothing is lost. Across processes sharing one store, each
 * conversation is claimed by one of them at a time, so it is exported once unless an export
 * outlives `leaseMs` (then it may run again: key your writes on `idempotencyKey`). Rejects only
 * when the store itself fails.
 */
export async function exportFinished(options: ExportFinishedOptions): Promise<ExportReport> {
  const settings = resolveExportOptions(options)
  const claims = await settings.store.claimFinished({
    owner: settings.owner,
    leaseMs: settings.leaseMs,
    quietMs: settings.quietMs,
    settleMs: settings.settleMs,
    limit: settings.limit,
    ...(options.conversationId === undefined ? {} : { conversationId: options.conversationId }),
  })
  const exported: string[] = []
  const failed: { conversationId: string; error: string }[] = []
  for (const claim of claims) {
    const error = await exportOne(claim, settings)
    if (error === null) exported.push(claim.conversationId)
    else failed.push({ conversationId: claim.conversationId, error })
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
  readonly owner: string
  readonly limit: number
  readonly mode: DecodeMode
  readonly retryDelayMs: (attempt: number) => number
  readonly onError: (error: unknown, conversationId: string | null) => unknown
}

const positive = (value: unknown, name: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`smartsupp-hook: ${name} must be a positive number of milliseconds`)
  }
  return value
}

const atLeastZero = (value: unknown, name: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`smartsupp-hook: ${name} must be a number of milliseconds ≥ 0`)
  }
  return value
}

/** Checks export options once; a wrong one throws a `TypeError` naming it. */
export function resolveExportOptions(options: ExportFinishedOptions): ResolvedExportOptions {
  const { store, onConversationFinished } = options
  if (store === null || typeof store !== 'object' || typeof store.claimFinished !== 'function') {
    throw new TypeError(
      'smartsupp-hook: store must be an EventStore (memoryEventStore(), pgliteEventStore() or postgresEventStore())',
    )
  }
  if (typeof onConversationFinished !== 'function') {
    throw new TypeError('smartsupp-hook: onConversationFinished must be a function (conversation, context)')
  }
  const quietMs = options.quietMs === undefined ? DEFAULT_QUIET_MS : options.quietMs
  const limit = options.limit ?? DEFAULT_LIMIT
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new TypeError('smartsupp-hook: limit must be a positive integer')
  }
  if (options.owner !== undefined && (typeof options.owner !== 'string' || options.owner === '')) {
    throw new TypeError('smartsupp-hook: owner must be a non-empty string (or left out)')
  }
  return {
    store,
    onConversationFinished,
    quietMs: quietMs === null ? null : positive(quietMs, 'quietMs'),
    settleMs: atLeastZero(options.settleMs ?? DEFAULT_SETTLE_MS, 'settleMs'),
    leaseMs: positive(options.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs'),
    owner: options.owner ?? defaultOwner(),
    limit,
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

/** Exports one claimed conversation; `null` when done, else the error message (the claim was released). */
export async function exportOne(claim: ExportClaim, settings: ResolvedExportOptions): Promise<string | null> {
  const { store } = settings
  const report = async (error: unknown) => {
    try {
      await settings.onError(error, claim.conversationId)
    } catch {
      // A failing error handler must not stop what follows.
    }
  }
  try {
    const storedEvents = await store.events(claim.conversationId)
    const conversation = assembleStored(claim.conversationId, storedEvents, settings.mode)
    await settings.onConversationFinished(conversation, {
      reason: claim.reason,
      attempt: claim.attempt,
      storedEvents,
      claim,
    })
  } catch (error) {
    await report(error)
    try {
      await store.release(claim, messageOf(error), settings.retryDelayMs(claim.attempt))
    } catch (releaseError) {
      // The store is down: the claim stays until its lease ends, then the conversation is due again.
      await report(releaseError)
    }
    return messageOf(error)
  }
  // The export is done: it is not released (that would export it again at once). If the store
  // cannot record it, the claim's lease runs out and the conversation is exported a second time.
  try {
    await store.markExported(claim)
  } catch (error) {
    await report(
      new ExportNotMarkedError(
        `onConversationFinished succeeded for conversation ${claim.conversationId}, but the store could not mark it exported (${messageOf(error)}); unless it recovers, the conversation is exported again after leaseMs`,
        { cause: error },
      ),
    )
  }
  return null
}

/** `onConversationFinished` succeeded but the store failed to record it (reported to `onError`). */
export class ExportNotMarkedError extends Error {
  override readonly name = 'SmartsuppExportNotMarkedError'
}

/** Decodes a conversation's stored events (poisoned ones skipped) and assembles them; throws `AssemblyError`. */
export function assembleStored(
  conversationId: string,
  stored: readonly StoredEvent[],
  mode: DecodeMode,
): AssembledConversation {
  const events: WebhookEvent[] = []
  // The keys the store holds (webhookEventKey of each event, computed when it was received), so
  // assembly does not compute them again.
  const keys: string[] = []
  for (const s of stored) {
    if (s.poisoned !== null) continue
    const decoded = parseWebhookEvent(s.body, { mode })
    if (decoded._tag === 'Right') {
      events.push(decoded.right)
      keys.push(s.key)
    }
  }
  const assembled = assembleConversation(events, { conversationId, keys })
  if (assembled._tag === 'Left') {
    throw new AssemblyError(
      `conversation ${conversationId} could not be assembled from its ${stored.length} stored events: ${assembled.left.message}`,
    )
  }
  return assembled.right
}
