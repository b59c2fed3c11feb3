// What the fault suite's receiver processes are told (FLEET_CONFIG) and what they record.
import type { StoreReceiveOptions } from '../../../../src/receive/store-events.js'

/** Where a receiver keeps its events. */
export type FleetStore =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres'
      readonly url: string
      readonly tablePrefix: string
      readonly queryTimeoutMs?: number
    }

/**
 * What one try of onConversationFinished does: `ok` writes (after `delayMs`, stopping if its
 * signal aborts); `hang` never settles; `throw` rejects; `late` ignores its signal and writes
 * after `lateMs`, given up or not; `die` writes, then the process kills itself (SIGKILL) before
 * the store can record the export.
 */
export type CallbackStep = 'ok' | 'hang' | 'throw' | 'late' | 'die'

/** One receiver process. */
export interface ReceiverConfig {
  readonly name: string
  readonly secret: string
  readonly store: FleetStore
  readonly recordDir: string
  /** The receiver's store options besides `store`, `owner` and the callbacks. */
  readonly receive: Pick<
    StoreReceiveOptions,
    | 'settleMs'
    | 'quietMs'
    | 'leaseMs'
    | 'exportTimeoutMs'
    | 'maxExportAttempts'
    | 'sweepIntervalMs'
    | 'exportWaitMs'
    | 'exportSweep'
  > & { readonly timeoutMs?: number }
  readonly callback: {
    readonly delayMs?: number
    readonly lateMs?: number
    /** Per real conversation id, the step of each attempt (1st, 2nd…); later attempts are `ok`. */
    readonly plan?: Readonly<Record<string, readonly CallbackStep[]>>
  }
  /** Record every event that reaches `onEvent` (type `event`, its conversation id and stored key). */
  readonly recordEvents?: boolean
  /** Run `closeOnSignals(store, { server, graceMs })`. */
  readonly closeOnSignals?: { readonly graceMs: number }
}

/** One line of a receiver's record file. */
export interface ExportRecord {
  readonly type:
    | 'start'
    | 'write'
    | 'abandoned'
    | 'event'
    | 'exportError'
    | 'deliveryError'
    | 'closeError'
    | 'closed'
  readonly name: string
  readonly pid: number
  /** Date.now() when written. */
  readonly at: number
  /** The conversation's real id (start, write, abandoned). */
  readonly id?: string
  /** Its id in the store (escaped when PostgreSQL cannot hold it as it is). */
  readonly storedId?: string | null
  readonly revision?: number
  readonly attempt?: number
  /** write: the signal had aborted (a given-up try that wrote anyway). */
  readonly aborted?: boolean
  /** event: its stored key. */
  readonly key?: string
  /** write: the stored keys of the events it held. */
  readonly keys?: readonly string[]
  /** write: how many messages the assembled conversation had. */
  readonly messages?: number
  readonly error?: string
}
