import type { DecodeFailure } from '../decode/decode-failure.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { EventStore } from '../store/event-store.js'
import {
  exportFinished,
  type OnConversationFinished,
  type ResolvedExportOptions,
  resolveExportOptions,
} from '../store/export-finished.js'
import { startExportSweep } from '../store/export-sweeps.js'
import { exportsClosed } from '../store/running-exports.js'
import { poisonedStoredEventOf, storedEventOf } from '../store/stored-event-of.js'
import type { ReceiveContext } from './receive-context.js'
import type { InvalidReply, OnInvalid } from './receive-options.js'

/** The receivers' options for keeping every event in a store and exporting finished conversations. */
export interface StoreReceiveOptions {
  /**
   * Keep every authentic event, with its exact bytes, in this store before answering 200; a store
   * that fails answers 500 (Smartsupp re-delivers). Authentic bodies that cannot be decoded are
   * kept as poisoned events and answered 200. With a store, `onEvent` is optional.
   */
  readonly store?: EventStore
  /**
   * With `store`: called once per revision of each finished conversation (closed and settled, or
   * quiet for `quietMs`), assembled from all its stored events, across every receiver process
   * sharing the store: once, and again, whole, as revision 2, 3… when events arrive after an
   * export (`context.revision`; upsert on the conversation id). A throw or a timeout is retried
   * by a later sweep or delivery (or `smartsupp-hook export --pending`), never lost; after
   * `maxExportAttempts` tries in a row the conversation is `failed` until `export --retry`.
   */
  readonly onConversationFinished?: OnConversationFinished
  /** With `store`: a conversation never closed is finished after this long with no event (ms). Default 30 minutes; `null` never. */
  readonly quietMs?: number | null
  /**
   * With `store`: a closed conversation is exported once nothing arrived for it for this long
   * (ms), so late and out-of-order deliveries are in it. Default 30 seconds; 0: at the closing
   * event. Events that come later make a new revision, exported once they settled in turn.
   */
  readonly settleMs?: number
  /**
   * With `store` and `onConversationFinished`: how often this process looks for conversations due
   * for export (settled, quiet, retries, and those of a process that died), from the moment the
   * receiver is created; the timer does not keep the process alive; one timer per store in a
   * process (a receiver created later on the same store takes it over). Default 5 seconds;
   * `null`: only on deliveries (serverless), and by `smartsupp-hook export --pending`.
   */
  readonly sweepIntervalMs?: number | null
  /**
   * With `store` and `onConversationFinished`: called when an export try fails (the callback
   * threw or timed out, its claim was lost, or the store failed while exporting), with the
   * conversation id when known. The conversation is kept and retried; the delivery's answer is
   * not changed. Called, not awaited: a promise it returns holds no export up. Default: `console.error`.
   */
  readonly onExportError?: (error: unknown, conversationId: string | null) => unknown
  /**
   * With `store`: how long a claim holds unless renewed (ms). It is renewed every third of it
   * while the export runs, so it only bounds how soon another process takes over the exports of
   * one that died. Default 60 seconds.
   */
  readonly leaseMs?: number
  /**
   * With `store` and `onConversationFinished`: how long one export try may take (ms); then it is
   * given up (`context.signal` aborts), reported as an `ExportTimeoutError` and retried after its
   * delay. Default 30 seconds.
   */
  readonly exportTimeoutMs?: number
  /**
   * With `store` and `onConversationFinished`: failed or timed-out tries in a row after which a
   * conversation becomes `failed` (shown by `smartsupp-hook store list`, retried only by
   * `smartsupp-hook export --retry`). Default 20: about two hours of retries.
   */
  readonly maxExportAttempts?: number
  /**
   * With `store` and `onConversationFinished`: who this receiver process is when it claims a
   * conversation for export (unique per process; shown as `context.claim.owner`). Default:
   * `$HOSTNAME` when set, the process id and a random part.
   */
  readonly owner?: string
  /**
   * With `store`: how long a delivery waits for the exports it started before it is answered
   * (ms): the export of its own conversation (a closing event with `settleMs: 0`) and, without a
   * sweep timer (`sweepIntervalMs: null`, serverless), the other due conversations it exports;
   * with the timer, those run after the answer. An export still running then goes on after the
   * answer. Default: half of `timeoutMs`. The wait always ends before the last tenth of
   * `timeoutMs` (at most 1 s before it), so a slow export never turns a stored event's 200 into a 503.
   */
  readonly exportWaitMs?: number
  /**
   * With `store`: how many other due conversations (settled, quiet, retries) each delivery
   * exports, when any can be due. Default 2. With a sweep timer they are exported after the
   * answer, at most 10 at once per store in a process (a delivery finding 10 running adds none).
   */
  readonly exportSweep?: number
}

/** The callbacks a receiver runs when it has a store: they store first, then call the host's. */
export interface StoringCallbacks<Req> {
  readonly onEvent: (event: WebhookEvent, context: ReceiveContext<Req>) => Promise<void>
  readonly onInvalid: OnInvalid<ReceiveContext<Req>>
}

/** How many exports deliveries started after their answer (with a sweep timer) at most run at once per store. */
const AFTER_ANSWER_EXPORTS = 10

/** The exports running after their delivery's answer, per store in this process. */
const afterAnswer = new WeakMap<EventStore, { running: number }>()

const wait = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
  })

/**
 * Wraps the host's callbacks so that each authentic event is appended (exact bytes, idempotent
 * key) before anything else, and each undecodable one is kept as poisoned; then finished
 * conversations are exported. The export never changes the answer: its failures are released
 * for a retry and reported to `onError`, and one that outlasts `exportWaitMs` continues after it.
 */
export function storingCallbacks<Req>(
  store: EventStore,
  options: StoreReceiveOptions & {
    readonly onEvent?: (event: WebhookEvent, context: ReceiveContext<Req>) => unknown
    readonly onInvalid?: OnInvalid<ReceiveContext<Req>>
    readonly timeoutMs: number
  },
): StoringCallbacks<Req> {
  const exportSettings: ResolvedExportOptions | null =
    options.onConversationFinished === undefined
      ? null
      : resolveExportOptions({
          store,
          onConversationFinished: options.onConversationFinished,
          ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
          ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
          ...(options.exportTimeoutMs === undefined ? {} : { exportTimeoutMs: options.exportTimeoutMs }),
          ...(options.maxExportAttempts === undefined
            ? {}
            : { maxExportAttempts: options.maxExportAttempts }),
          ...(options.owner === undefined ? {} : { owner: options.owner }),
          ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
          ...(options.onExportError === undefined ? {} : { onError: options.onExportError }),
        })
  if (options.onExportError !== undefined && typeof options.onExportError !== 'function') {
    throw new TypeError(
      'smartsupp-hook: options.onExportError must be a function (error, conversationId), or left out',
    )
  }
  const exportWaitMs = options.exportWaitMs ?? Math.floor(options.timeoutMs / 2)
  const sweep = options.exportSweep ?? 2
  if (!Number.isSafeInteger(sweep) || sweep < 0) {
    throw new TypeError('smartsupp-hook: options.exportSweep must be an integer ≥ 0')
  }
  if (typeof exportWaitMs !== 'number' || !Number.isFinite(exportWaitMs) || exportWaitMs < 0) {
    throw new TypeError('smartsupp-hook: options.exportWaitMs must be a number of milliseconds ≥ 0')
  }

  const sweepIntervalMs = options.sweepIntervalMs === undefined ? 5000 : options.sweepIntervalMs
  if (
    sweepIntervalMs !== null &&
    (typeof sweepIntervalMs !== 'number' || !Number.isFinite(sweepIntervalMs) || sweepIntervalMs <= 0)
  ) {
    throw new TypeError(
      'smartsupp-hook: options.sweepIntervalMs must be a positive number of milliseconds, or null',
    )
  }
  const reportExportError = (error: unknown) =>
    Promise.resolve()
      .then(() => exportSettings?.onError(error, null))
      .catch(() => {})
  let sweeper: { readonly isRunning: () => boolean } | null = null
  // One sweep timer per store in this process: a receiver created again on the same store (its
  // options rebuilt per request, as `handleSmartsuppWebhook(request, { … })` invites, or a hot
  // reload) takes the sweep over instead of adding a timer that is never cleared.
  const startSweeping = () => {
    if (exportSettings === null || sweepIntervalMs === null || sweeper?.isRunning() === true) return
    sweeper = startExportSweep(exportSettings, sweepIntervalMs, reportExportError)
  }
  // Started now, not at the first delivery: a process that receives nothing must still export
  // what is due, such as the conversations of a process that died mid-export.
  startSweeping()

  // The answer must leave before the receiver's deadline (`timeoutMs` from when the request
  // reached the handler), or a stored event would be answered 503 only because an export was slow:
  // wait for the exports at most `exportWaitMs`, and never into the last tenth of the deadline.
  const deadlineMargin = Math.min(1000, options.timeoutMs / 10)
  const exportWaitFor = (context: ReceiveContext<Req>): number => {
    const now = Date.now()
    const received = context.receivedAt instanceof Date ? context.receivedAt.getTime() : now
    const elapsed = Number.isFinite(received) ? Math.max(0, now - received) : 0
    return Math.max(0, Math.min(exportWaitMs, options.timeoutMs - elapsed - deadlineMargin))
  }

  // Other due conversations a delivery exports: skipped when the store can tell nothing is due
  // yet (the SQL stores read the earliest due time of each kind with the delivery's own append),
  // so most deliveries cost no claim. Serverless (no timer), the delivery waits for them as for its
  // own. With a sweep timer (a long-running process) they run after the answer, so a delivery's
  // answer never waits for another conversation's export: the delivery starts a lane that claims
  // `exportSweep` at a time and goes on claiming while it gets as many as it asked for (a backlog
  // drains without waiting for more deliveries or the timer), lanes holding at most 10 exports at
  // once per store in this process.
  const sweepOthers = (): Promise<void> | null => {
    if (
      exportSettings === null ||
      sweep === 0 ||
      exportsClosed(store) ||
      store.mayHaveDue?.(exportSettings) === false
    ) {
      return null
    }
    if (sweepIntervalMs === null) return exportFinished({ ...exportSettings, limit: sweep }).then(() => {})
    let slots = afterAnswer.get(store)
    if (slots === undefined) {
      slots = { running: 0 }
      afterAnswer.set(store, slots)
    }
    const held = slots
    const settings = exportSettings
    const lane = () => {
      const limit = Math.min(sweep, AFTER_ANSWER_EXPORTS - held.running)
      // Shutting down (closeOnSignals, the Nest module): the lane claims nothing more.
      if (limit <= 0 || exportsClosed(store)) return
      held.running += limit
      exportFinished({ ...settings, limit }).then(
        (report) => {
          held.running -= limit
          if (report.exported.length + report.failed.length === limit) lane()
        },
        (error: unknown) => {
          held.running -= limit
          void reportExportError(error)
        },
      )
    }
    lane()
    return null
  }

  const runExports = async (conversationId: string | null, closes: boolean, waitMs: number) => {
    if (exportSettings === null) return
    const work = (async () => {
      // With a settle period the closing delivery itself can never claim it (it was just received).
      if (closes && conversationId !== null && exportSettings.settleMs === 0) {
        await exportFinished({ ...exportSettings, conversationId, limit: 1 })
      }
      await sweepOthers()
    })().catch(
      // The store failed during the export: the event is stored, so the answer stays 200; the
      // conversation is claimed again later.
      reportExportError,
    )
    if (waitMs > 0) await Promise.race([work, wait(waitMs)])
  }

  return {
    onEvent: async (event, context) => {
      const stored = storedEventOf(event, context.rawBody)
      await store.append(stored)
      if (options.onEvent !== undefined) await options.onEvent(event, context)
      startSweeping()
      await runExports(stored.conversationId, stored.closes, exportWaitFor(context))
    },
    onInvalid: async (failure: DecodeFailure, rawBody: Uint8Array, context: ReceiveContext<Req>) => {
      await store.append(await poisonedStoredEventOf(rawBody, failure.message))
      // biome-ignore lint/suspicious/noConfusingVoidType: what a callback returning nothing returns
      const reply: InvalidReply | undefined | void =
        options.onInvalid === undefined ? undefined : await options.onInvalid(failure, rawBody, context)
      if (options.onInvalid === undefined) {
        console.error(
          `smartsupp-hook: an authentic but undecodable webhook body was kept as a poisoned event (${rawBody.length} bytes) and answered 200; list them with smartsupp-hook store poisoned. ${failure.message}`,
        )
      }
      return reply ?? { status: 200, body: { ok: true, stored: 'poisoned' } }
    },
  }
}
