// What every fault scenario asserts, once its receivers stopped: every delivery answered 200 is in
// the store; every conversation is exported, and its last export holds all its events; each
// conversation was exported once per revision, every extra export being one of the documented
// cases (a process killed mid-export, an export the store could not mark or whose lease ran out
// unrenewed while the store was unreachable, a given-up callback that ignored its signal), which
// are counted and reported, never hidden.
import { expect } from 'vitest'
import type { EventStore } from '../../../../src/store/event-store.js'
import type { DeliveryLog } from './deliverer.js'
import type { FaultConversation, FaultLoad } from './fault-conversations.js'
import type { ExportRecord } from './fleet-config.js'

/** Extra exports of one revision, by documented cause. */
export interface ExtraExports {
  /** Another process exported a revision whose first exporter was killed (SIGKILL) after writing. */
  died: number
  /** `ExportNotMarkedError`: the store did not record a finished export. */
  notMarked: number
  /** `ClaimLostError` after a finished export: the store could not renew the lease for `leaseMs`. */
  leaseLost: number
  /** A try given up (`exportTimeoutMs`, a lost claim) whose callback ignored its signal and wrote. */
  ignoredSignal: number
}

/** The figures of one scenario, for the report. */
export interface FaultFigures {
  readonly scenario: string
  readonly conversations: number
  readonly deliveries: number
  readonly tries: number
  readonly non200: number
  /** Callbacks started (tries, including given-up and killed ones). */
  readonly calls: number
  /** Writes: callbacks that reached the CRM. */
  readonly exports: number
  /** Sum of the conversations' final revisions. */
  readonly revisions: number
  readonly extra: ExtraExports
  readonly exportErrors: Readonly<Record<string, number>>
}

const errorName = (error: string | undefined) => (error ?? '').split(':')[0] ?? ''

/**
 * Checks the scenario's outcome against `store` (opened by the test on what the receivers used,
 * after they stopped) and the receivers' records; returns the figures (also logged).
 */
export async function checkFaultOutcome(input: {
  readonly scenario: string
  readonly load: FaultLoad
  readonly log: DeliveryLog
  readonly records: readonly ExportRecord[]
  readonly killed: ReadonlySet<number>
  readonly store: EventStore
  /** Conversations not expected to be exported (they stay failed, say); default none. */
  readonly unexported?: ReadonlySet<string>
}): Promise<FaultFigures> {
  const { load, log, records, killed, store } = input
  // Acknowledged ⇒ stored.
  const storedKeys = new Map<string, Set<string>>()
  for (const c of load.conversations) {
    storedKeys.set(c.id, new Set((await store.events(c.storedId)).map((e) => e.key)))
  }
  const lost = [...log.acknowledged].filter((d) => storedKeys.get(d.conversationId)?.has(d.key) !== true)
  expect(
    lost.map((d) => d.key),
    'deliveries answered 200 but not in the store',
  ).toEqual([])
  // Every delivery was answered 200 in the end (the deliverer re-delivered until then).
  expect(log.acknowledged.size, 'deliveries acknowledged').toBe(load.deliveries.length)

  const writes = records.filter((r) => r.type === 'write')
  const extra: ExtraExports = { died: 0, notMarked: 0, leaseLost: 0, ignoredSignal: 0 }
  let revisions = 0
  const unexplained: string[] = []
  for (const c of load.conversations) {
    if (input.unexported?.has(c.id)) continue
    const state = await store.conversation(c.storedId)
    expect(state?.state, `${c.id} is exported`).toBe('exported')
    const revision = state?.revision ?? 0
    revisions += revision
    const mine = writes.filter((w) => w.id === c.id)
    // The last export holds every event, as delivered: the conversation whole.
    const last = mine.filter((w) => w.revision === revision).at(-1)
    expect(last, `${c.id}: an export of its last revision ${revision}`).toBeDefined()
    expect([...(last?.keys ?? [])].sort(), `${c.id}: its last export holds all its events`).toEqual(
      [...c.keys].sort(),
    )
    expect(last?.messages, `${c.id}: messages in its last export`).toBe(c.messages)
    expect(last?.storedId, `${c.id}: exported under its stored id`).toBe(c.storedId)
    // Once per revision: 1 … revision, each at least once; extras only for documented causes.
    expect(Math.max(0, ...mine.map((w) => w.revision ?? 0)), `${c.id}: no revision beyond the store's`).toBe(
      revision,
    )
    const errors = records.filter((r) => r.type === 'exportError' && r.storedId === c.storedId)
    let notMarked = errors.filter((e) => errorName(e.error) === 'SmartsuppExportNotMarkedError').length
    let leaseLost = errors.filter(
      (e) =>
        errorName(e.error) === 'SmartsuppClaimLostError' && (e.error ?? '').includes('exported there too'),
    ).length
    for (let r = 1; r <= revision; r++) {
      const of = mine.filter((w) => w.revision === r)
      expect(of.length, `${c.id}: revision ${r} exported`).toBeGreaterThanOrEqual(1)
      let extras = of.length - 1
      const take = (available: number) => {
        const n = Math.min(extras, available)
        extras -= n
        return n
      }
      extra.ignoredSignal += take(of.filter((w) => w.aborted === true).length)
      extra.died += take(of.some((w) => killed.has(w.pid)) ? of.length - 1 : 0)
      const marked = take(notMarked)
      extra.notMarked += marked
      notMarked -= marked
      const lostNow = take(leaseLost)
      extra.leaseLost += lostNow
      leaseLost -= lostNow
      if (extras > 0) {
        unexplained.push(
          `${c.id} revision ${r}: ${of.length} exports (${of.map((w) => `${w.name}:${w.pid} attempt ${w.attempt}`).join(', ')})`,
        )
      }
    }
  }
  expect(unexplained, 'revisions exported more than once with no documented cause').toEqual([])

  const exportErrors: Record<string, number> = {}
  for (const r of records.filter((r) => r.type === 'exportError')) {
    const name = errorName(r.error)
    exportErrors[name] = (exportErrors[name] ?? 0) + 1
  }
  const figures: FaultFigures = {
    scenario: input.scenario,
    conversations: load.conversations.length,
    deliveries: load.deliveries.length,
    tries: log.tries.length,
    non200: log.tries.filter((t) => t.status !== 200).length,
    calls: records.filter((r) => r.type === 'start').length,
    exports: writes.length,
    revisions,
    extra,
    exportErrors,
  }
  console.info(`[faults] ${JSON.stringify(figures)}`)
  return figures
}

/** Conversations by real id. */
export function byId(load: FaultLoad): Map<string, FaultConversation> {
  return new Map(load.conversations.map((c) => [c.id, c]))
}
