import { assembleStored } from './assemble-stored.js'
import { ClaimLostError } from './claim-lost-error.js'
import { ConversationFailedError } from './conversation-failed-error.js'
import type { ExportClaim } from './event-store.js'
import type { ResolvedExportOptions } from './export-finished.js'
import { ExportNotMarkedError } from './export-not-marked-error.js'
import { ExportStoppedError } from './export-stopped-error.js'
import { ExportTimeoutError } from './export-timeout-error.js'
import { exportsClosed, trackClaim, trackExport } from './running-exports.js'
import { storeDeadline } from './store-deadline.js'

/** How one claimed conversation's export ended (internal). */
export interface ExportOutcome {
  readonly conversationId: string
  /** `null` when `onConversationFinished` resolved; else why this try did not succeed. */
  readonly error: string | null
  /** The conversation is now `failed`. */
  readonly gaveUp: boolean
}

/**
 * Claims up to `limit` due conversations with the resolved options (internal). A store that does
 * not answer within `leaseMs` is given up on (a claim that late would have expired anyway), so a
 * frozen database never holds the sweep.
 */
export async function claimDue(
  settings: ResolvedExportOptions,
  limit: number,
  conversationId?: string,
): Promise<readonly ExportClaim[]> {
  const sentAt = Date.now()
  const claims = await trackClaim(
    settings.store,
    storeDeadline(
      settings.store.claimFinished({
        owner: settings.owner,
        leaseMs: settings.leaseMs,
        quietMs: settings.quietMs,
        settleMs: settings.settleMs,
        limit,
        ...(conversationId === undefined ? {} : { conversationId }),
      }),
      settings.leaseMs,
      'claimFinished',
    ),
  )
  for (const claim of claims) claimedAt.set(claim, sentAt)
  return claims
}

/** When each claim was asked for: its lease started no earlier (this process's clock). */
const claimedAt = new WeakMap<ExportClaim, number>()

const messageOf = (error: unknown): string => {
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return 'an error that could not be shown'
  }
}

/**
 * Exports one claimed conversation on its own (internal): reads its events and calls
 * `onConversationFinished` within `exportTimeoutMs`, renewing the lease every `leaseMs / 3`, then
 * marks it exported with the number of events it held. A failure or timeout is reported and
 * released with a retry delay, or marks it failed after `maxExportAttempts` tries; a lost claim
 * is reported and left alone. Never rejects: every outcome, store failures included, goes to
 * `onError`. Every store call is bounded (`leaseMs`), and the export counts among the store's
 * running exports in this process until it ends, so a shutdown can wait for it (`drainExports`).
 */
export function exportOne(claim: ExportClaim, settings: ResolvedExportOptions): Promise<ExportOutcome> {
  const control: ExportControl = { stop: () => {} }
  const done = runExport(claim, settings, control)
  trackExport(settings.store, {
    conversationId: claim.conversationId,
    done,
    stop: (error) => control.stop(error),
  })
  return done
}

/** How a running export is given up from outside (internal). */
interface ExportControl {
  stop: (error: Error) => void
}

async function runExport(
  claim: ExportClaim,
  settings: ResolvedExportOptions,
  control: ExportControl,
): Promise<ExportOutcome> {
  const { store, leaseMs } = settings
  const id = claim.conversationId
  // Called, not awaited: a handler that never settles (an alert to a service that hangs) must not
  // hold this export, its sweep slot or the release that follows; one that throws or rejects must
  // not stop what follows either.
  const report = (error: unknown): void => {
    try {
      const result: unknown = settings.onError(error, id)
      if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
        ;(result as PromiseLike<unknown>).then(undefined, () => {})
      }
    } catch {
      // Ignored, as above.
    }
  }
  const attempt = claim.failures + 1

  // Claimed just as this process began to shut down: hand it back for another process at once.
  if (exportsClosed(store)) {
    try {
      await storeDeadline(
        store.release(claim, 'its process shut down', 0, { failed: false }),
        leaseMs,
        'release',
      )
    } catch (error) {
      report(error)
    }
    return { conversationId: id, error: 'its process shut down before the export started', gaveUp: false }
  }

  // Its earlier tries never concluded (the process died or stalled past its lease) as often as
  // allowed: another call could kill this process too.
  if (claim.failures >= settings.maxExportAttempts) {
    const why = `its last ${claim.failures} tries never finished (the exporting process died or stalled past leaseMs)`
    return giveUp(new Error(why), claim.failures)
  }

  const controller = new AbortController()
  let stage = 'reading its events'
  let settled = false
  let stop: (error: Error) => void = () => {}
  const givenUp = new Promise<never>((_, reject) => {
    stop = (error) => {
      if (settled) return
      settled = true
      controller.abort(error)
      reject(error)
    }
  })
  control.stop = (error) => stop(error)
  // Ref'd: a command waiting for a hung callback must wait for its timeout, not exit mid-await.
  const timeout = setTimeout(
    () => stop(new ExportTimeoutError(id, settings.exportTimeoutMs, stage)),
    settings.exportTimeoutMs,
  )
  // The lease runs from when the claim, then the last renewal that succeeded, was asked for (the
  // store counts from a moment no earlier), so this process never believes in a lease the store
  // has already ended. When it ends unrenewed (the store failed, or never answered), another
  // process may claim the conversation: this try stops at once, so a callback that heeds its
  // signal writes nothing after that.
  let leaseFrom = Math.min(claimedAt.get(claim) ?? Date.now(), Date.now())
  const leaseLost = () =>
    stop(
      new ClaimLostError(
        id,
        `its lease (leaseMs ${leaseMs}) ran out unrenewed: the store did not renew it in time`,
      ),
    )
  let leaseEnd = setTimeout(leaseLost, Math.max(0, leaseFrom + leaseMs - Date.now()))
  const unref = (timer: ReturnType<typeof setTimeout>) => {
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref()
  }
  unref(leaseEnd)
  let renewing = false
  const renewal = setInterval(() => {
    if (settled || renewing) return
    renewing = true
    const sentAt = Date.now()
    storeDeadline(store.renew(claim, leaseMs), Math.max(1, leaseFrom + leaseMs - sentAt), 'renew').then(
      (until) => {
        renewing = false
        if (until === null) {
          stop(new ClaimLostError(id, 'another process claimed it, or it was marked failed'))
          return
        }
        leaseFrom = sentAt
        clearTimeout(leaseEnd)
        if (settled) return
        leaseEnd = setTimeout(leaseLost, Math.max(0, leaseFrom + leaseMs - Date.now()))
        unref(leaseEnd)
      },
      () => {
        // The store did not answer: the claim holds until its lease runs out (leaseEnd), then the
        // try stops; until then the next tick tries again.
        renewing = false
      },
    )
  }, leaseMs / 3)
  if (typeof renewal === 'object' && renewal !== null && 'unref' in renewal) renewal.unref()

  let eventCount: number
  try {
    const work = (async () => {
      const storedEvents = await store.events(id)
      stage = 'assembling it'
      const conversation = assembleStored(id, storedEvents, settings.mode)
      stage = 'in onConversationFinished'
      await settings.onConversationFinished(conversation, {
        reason: claim.reason,
        revision: claim.revision,
        attempt,
        storedEvents,
        claim,
        signal: controller.signal,
      })
      return storedEvents.length
    })()
    // When the try is given up, the work may still settle later: nobody waits for it then.
    work.catch(() => {})
    eventCount = await Promise.race([work, givenUp])
  } catch (error) {
    settled = true
    clearTimeout(timeout)
    clearInterval(renewal)
    clearTimeout(leaseEnd)
    if (error instanceof ClaimLostError) {
      // Not ours any more: another process exports it (or it was marked failed). Nothing to release.
      report(error)
      return { conversationId: id, error: error.message, gaveUp: false }
    }
    // This process is shutting down: not the export's fault, so another process may take it at once.
    const stopped = error instanceof ExportStoppedError
    if (!stopped && attempt >= settings.maxExportAttempts) return giveUp(error, attempt)
    report(error)
    try {
      await storeDeadline(
        stopped
          ? store.release(claim, messageOf(error), 0, { failed: false })
          : store.release(claim, messageOf(error), settings.retryDelayMs(attempt)),
        leaseMs,
        'release',
      )
    } catch (releaseError) {
      // The store is down: the claim stays until its lease ends, then the conversation is due again.
      report(releaseError)
    }
    return { conversationId: id, error: messageOf(error), gaveUp: false }
  }
  settled = true
  clearTimeout(timeout)
  clearInterval(renewal)
  clearTimeout(leaseEnd)

  // The export is done: it is not released (that would export it again at once). If the store
  // cannot record it, the claim's lease runs out and the conversation is exported a second time.
  try {
    if (!(await storeDeadline(store.markExported(claim, { eventCount }), leaseMs, 'markExported'))) {
      report(
        new ClaimLostError(
          id,
          'onConversationFinished succeeded, but another process had claimed it meanwhile, so it is exported there too',
        ),
      )
    }
  } catch (error) {
    report(
      new ExportNotMarkedError(
        `onConversationFinished succeeded for conversation ${id}, but the store could not mark it exported (${messageOf(error)}); unless it recovers, the conversation is exported again after leaseMs`,
        { cause: error },
      ),
    )
  }
  return { conversationId: id, error: null, gaveUp: false }

  async function giveUp(cause: unknown, failures: number): Promise<ExportOutcome> {
    const error = new ConversationFailedError(id, failures, messageOf(cause), { cause })
    report(error)
    try {
      if (!(await storeDeadline(store.markFailed(claim, messageOf(cause)), leaseMs, 'markFailed'))) {
        return { conversationId: id, error: messageOf(cause), gaveUp: false }
      }
    } catch (markError) {
      // Not recorded: it is claimed again after its lease and given up then.
      report(markError)
      return { conversationId: id, error: messageOf(cause), gaveUp: false }
    }
    return { conversationId: id, error: messageOf(cause), gaveUp: true }
  }
}
