// Hostile values over real HTTP to receiver processes: ids PostgreSQL cannot hold or index as they
// are (a NUL, lone surrogates, two ids that differ only in a lone surrogate, the U+FFFD a driver
// would turn them into, 800-character ids, a value shaped like the escaped form), NUL and
// 800-character account ids, and event names with a NUL or a lone surrogate. Every one is answered
// 200 and stored on the first delivery (never an endless 500), no two ids merge, and each
// conversation is exported whole under its real id, once.
import { describe, expect, it } from 'vitest'
import type { WebhookEventPayload } from '../../../src/codecs/webhook/webhook-event.js'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import { deliverAll } from './support/deliverer.js'
import { FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget, type StoreKind } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'

const IDS = [
  'conv\u0000nul',
  'conv-\ud800',
  'conv-\ud801',
  'conv-\ufffd',
  'x'.repeat(800),
  'é'.repeat(800),
  '~esc~conv-\\u0000',
  'plain-nul-account',
  'plain-long-account',
  'plain-odd-events',
]
const ACCOUNTS = IDS.map((id) =>
  id === 'plain-nul-account' ? 'acc\u0000nul' : id === 'plain-long-account' ? 'a'.repeat(800) : '881987',
)

/** Adds to the last conversation two events of names PostgreSQL cannot hold as they are. */
const oddEvents = (n: number, events: WebhookEventPayload[]): WebhookEventPayload[] => {
  if (IDS[n] !== 'plain-odd-events') return events
  const opened = events[0] as WebhookEventPayload
  const odd = (event: string, second: number) =>
    ({
      ...opened,
      event,
      timestamp: new Date(Date.parse(opened.timestamp) + second * 1000).toISOString(),
    }) as WebhookEventPayload
  return [
    opened,
    odd('conversation.custom\u0000event', 1),
    odd('conversation.custom-\udc00', 2),
    ...events.slice(1),
  ]
}

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function hostileValues(): void {
  const kinds: StoreKind[] = skipPostgres ? ['pglite'] : ['pglite', 'postgres']
  describe.concurrent('hostile ids and names over HTTP', () => {
    for (const kind of kinds) {
      it(`on ${kind}: each answered 200 at once and stored; none merged; each conversation exported whole under its real id`, async ({
        onTestFinished,
      }) => {
        const target = faultTarget(
          kind,
          `hostile${kind}`,
          kind === 'postgres' ? { url: requirePostgresUrl() } : null,
        )
        onTestFinished(() => target.dispose())
        const fleet = startFleet(`hostile-${kind}`)
        onTestFinished(() => fleet.dispose())
        await Promise.all(
          (kind === 'postgres' ? ['A', 'B'] : ['A']).map((name) =>
            fleet.start({
              name,
              secret: FAULTS_SECRET,
              store: target.store,
              receive: {
                settleMs: 300,
                quietMs: null,
                leaseMs: 3000,
                exportTimeoutMs: 10_000,
                sweepIntervalMs: 100,
              },
              callback: {},
            }),
          ),
        )
        const load = await faultLoad(`hostile-${kind}`, IDS.length, {
          ids: IDS,
          accountIds: ACCOUNTS,
          messages: 2,
          events: oddEvents,
        })
        // Distinct ids stay distinct in the store too.
        expect(new Set(load.conversations.map((c) => c.storedId)).size).toBe(IDS.length)
        const log = await deliverAll(load.deliveries, { targets: fleet.live })
        // Every delivery answered 200 the first time: no value makes the store refuse it.
        expect(log.tries.filter((t) => t.status !== 200)).toEqual([])
        await target.exported(fleet, load)
        await fleet.stopAll()

        const store = target.open()
        const figures = await checkFaultOutcome({
          scenario: `hostile values, ${kind}`,
          load,
          log,
          records: fleet.records(),
          killed: fleet.killed,
          store,
        })
        expect(figures.exports).toBe(IDS.length)
        expect(figures.extra).toEqual({ died: 0, notMarked: 0, leaseLost: 0, ignoredSignal: 0 })
        // Exported under the real ids (records match by conversation.id), one conversation each.
        const exportedIds = fleet.records().flatMap((r) => (r.type === 'write' ? [r.id] : []))
        expect([...exportedIds].sort()).toEqual([...IDS].sort())
        expect(await store.conversations({ limit: 1000 })).toHaveLength(IDS.length)
        expect(fleet.records().filter((r) => r.type === 'deliveryError' || r.type === 'exportError')).toEqual(
          [],
        )
      }, 120_000)
    }
  })
}
