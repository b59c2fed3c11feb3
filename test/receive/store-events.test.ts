// The sweep a delivery runs after storing its event (issue 18, item 1): it claims only when
// something can be due (the SQL stores tell from what their own batch of appends read), it sees
// what other processes made due, and in a long-running process (a sweep timer) the other
// conversations it exports run after its answer, at most 10 at once per store. Real HTTP
// (node:http), real stores.
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import { parseWebhookEventOrThrow } from '../../src/index.js'
import type { AssembledConversation } from '../../src/model/conversation.js'
import type { EventStore } from '../../src/store/event-store.js'
import { memoryEventStore } from '../../src/store/memory-event-store.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../src/store/postgres-event-store.js'
import { DUE_SEEN_REFRESH_MS } from '../../src/store/sql/due-seen.js'
import { storedEventOf } from '../../src/store/stored-event-of.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'
import { listen, type Running } from '../adapters/support/listen.js'
import { postSigned, WEBHOOK_SECRET } from '../adapters/support/webhook-contract.js'
import { dropTables } from '../store/support/drop-tables.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from '../store/support/postgres-url.js'
import { testClock } from '../store/support/test-clock.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(5)
  }
}

/** A conversation's signed bodies: opened, two messages, closed (or not). */
function bodies(id: string, closed = true): string[] {
  let b = webhookConversation({ id, startAt: Date.UTC(2026, 2, 1, 9) })
    .opened()
    .contactReplied(`Hello from ${id}`)
    .agentReplied({ id: '7', name: 'Petr' }, 'Hi')
  if (closed) b = b.closed({ by: { id: '7', name: 'Petr' } })
  return b.build().map((e) => JSON.stringify(e))
}

/** Counts the store's claims; everything else goes through as it is. */
function counted(inner: EventStore): EventStore & { claims: number } {
  const store = {
    ...inner,
    claims: 0,
    claimFinished(options: Parameters<EventStore['claimFinished']>[0]) {
      store.claims++
      return inner.claimFinished(options)
    },
  }
  return store
}

async function deliver(url: string, ...posted: string[]): Promise<void> {
  for (const body of posted) {
    const res = await postSigned(url, body)
    expect(res.status, body.slice(0, 80)).toBe(200)
    await res.arrayBuffer()
  }
}

interface Kind {
  readonly name: string
  readonly skip: boolean
  setUp(): Promise<void>
  /** Two store objects on the same tables, as two processes would have. */
  stores(clock: () => Date): [EventStore, EventStore]
  tearDown(): Promise<void>
}

const pglite = (): Kind => {
  let db: PGlite
  return {
    name: 'PGlite',
    skip: false,
    async setUp() {
      db = await PGlite.create()
    },
    stores(clock) {
      const tablePrefix = uniquePrefix('se')
      return [pgliteEventStore({ db, tablePrefix, clock }), pgliteEventStore({ db, tablePrefix, clock })]
    },
    tearDown: () => db.close(),
  }
}

const postgres = (): Kind => {
  let pool: pg.Pool
  const prefixes: string[] = []
  return {
    name: 'PostgreSQL',
    skip: skipPostgres,
    async setUp() {
      pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 6 })
    },
    stores(clock) {
      const tablePrefix = uniquePrefix('se')
      prefixes.push(tablePrefix)
      return [
        postgresEventStore({ pool, tablePrefix, clock }),
        postgresEventStore({ pool, tablePrefix, clock }),
      ]
    },
    async tearDown() {
      for (const prefix of prefixes) await dropTables(pool, prefix)
      await pool.end()
    },
  }
}

for (const kind of [pglite(), postgres()]) {
  describe.skipIf(kind.skip)(`a delivery's sweep on ${kind.name}`, () => {
    let running: Running | null = null
    beforeAll(() => kind.setUp())
    afterAll(async () => {
      await running?.close()
      await kind.tearDown()
    })

    test('claims only when something can be due, and sees what another process made due', async () => {
      const clock = testClock(Date.parse('2026-03-01T12:00:00Z'))
      const [inner, otherProcess] = kind.stores(clock.now)
      const store = counted(inner)
      const exported: string[] = []
      running = await listen(
        createSmartsuppWebhookListener({
          secret: WEBHOOK_SECRET,
          store,
          settleMs: 30_000,
          sweepIntervalMs: null,
          onConversationFinished: (conversation: AssembledConversation) => {
            exported.push(conversation.id)
          },
        }),
      )
      const url = running.origin

      // Nothing can be due: an open conversation, a closed one settling. No claim at all.
      await deliver(url, ...bodies('open', false), ...bodies('closed'))
      expect(store.claims).toBe(0)

      // Settled: the next delivery claims and exports it.
      clock.advance(30_000)
      await deliver(url, ...bodies('open-2', false).slice(0, 1))
      expect(exported).toEqual(['closed'])
      const afterExport = store.claims
      expect(afterExport).toBeGreaterThan(0)

      // Nothing due again: deliveries claim nothing.
      await deliver(url, ...bodies('open-3', false))
      expect(store.claims).toBe(afterExport)

      // Another process stores a conversation that is due at once (its close came long ago on
      // its own clock): a delivery whose batch reads the due times again (they are re-read once
      // DUE_SEEN_REFRESH_MS old) claims and exports it.
      for (const body of bodies('elsewhere')) {
        const bytes = new TextEncoder().encode(body)
        await otherProcess.append(storedEventOf(parseWebhookEventOrThrow(bytes), bytes))
      }
      clock.advance(30_000)
      await sleep(DUE_SEEN_REFRESH_MS + 10)
      await deliver(url, ...bodies('open-4', false).slice(0, 1))
      expect(exported).toEqual(['closed', 'elsewhere'])
      await running.close()
      running = null
      await otherProcess.close()
      await inner.close()
    })
  })
}

describe('with a sweep timer, the other conversations a delivery exports', () => {
  let running: Running | null = null
  afterAll(() => running?.close())

  test('run after its answer, at most 10 at once per store, go on while more are due, and each is exported once', async () => {
    const store = memoryEventStore()
    // 30 conversations due before the receiver starts.
    const due = Array.from({ length: 30 }, (_, i) => `due-${String(i).padStart(2, '0')}`)
    for (const id of due) {
      for (const body of bodies(id)) {
        const bytes = new TextEncoder().encode(body)
        await store.append(storedEventOf(parseWebhookEventOrThrow(bytes), bytes))
      }
    }
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let runningExports = 0
    let maxRunning = 0
    const exported: string[] = []
    running = await listen(
      createSmartsuppWebhookListener({
        secret: WEBHOOK_SECRET,
        store,
        settleMs: 0,
        // The timer runs (a long-running process) but does not tick during the test.
        sweepIntervalMs: 600_000,
        timeoutMs: 60_000,
        // A delivery that waited for these exports would wait until they end: after every answer.
        exportWaitMs: 50_000,
        onConversationFinished: async (conversation: AssembledConversation) => {
          runningExports++
          maxRunning = Math.max(maxRunning, runningExports)
          await released
          exported.push(conversation.id)
          runningExports--
        },
      }),
    )
    const url = running.origin
    // 20 deliveries of open conversations, each answered while the exports it started still run.
    await deliver(url, ...bodies('busy-a', false), ...bodies('busy-b', false), ...bodies('busy-c', false))
    await deliver(url, ...Array.from({ length: 8 }, (_, i) => bodies(`busy-${i}`, false)[0] as string))
    expect(exported).toEqual([])
    await until(() => runningExports === 10, '10 exports run')
    expect(maxRunning).toBe(10)
    release()
    // The lanes the deliveries started go on claiming while they find work: the rest is exported
    // with no further delivery (and the timer does not tick), 10 at a time at most.
    await until(() => exported.length === due.length, 'every due conversation was exported')
    expect(maxRunning).toBe(10)
    expect([...exported].sort()).toEqual(due)
  }, 60_000)
})
