// Group commit in the SQL stores (issue 18, item 2): appends that arrive together are written in
// one statement and one commit, and each outcome is what appending them one after another would
// give. A property: waves of concurrent appends (re-deliveries, several events of one
// conversation, poisoned bodies, contact events, staggered within the wave so batches form in
// every way) leave the store exactly as sequential appends leave the memory store, with the same
// `inserted` flags; on PGlite and on PostgreSQL with one batch at a time, flag for flag; on
// PostgreSQL with batches committing concurrently, one `inserted` per new key. Then the statement
// itself: one for what arrives together, a failed batch failing each of its appends.
import { PGlite } from '@electric-sql/pglite'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { AppendOutcome, EventStore, NewStoredEvent } from '../../../src/store/event-store.js'
import { memoryEventStore } from '../../../src/store/memory-event-store.js'
import { pgliteEventStore } from '../../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { dropTables } from '../support/drop-tables.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from '../support/postgres-url.js'
import { APPEND_BATCH_MARK as BATCH_MARK, preparedBatches } from '../support/prepared-batches.js'

const encoder = new TextEncoder()

/** What one key's event is, drawn once per run: every append of the key sends these same bytes (a re-delivery). */
interface EventShape {
  readonly conversation: number | null
  readonly account: number | null
  readonly closes: boolean
  readonly occurredAt: number | null
  readonly poisoned: boolean
}

/** One append in a wave: which key, and when within the wave it is called. */
interface Call {
  readonly key: number
  /** 0: at once; 1: after a microtask; 2: after a turn of the event loop. */
  readonly stagger: 0 | 1 | 2
}

const KEYS = 14

const shapeArb = (accountPerConversation: boolean): fc.Arbitrary<EventShape> =>
  fc
    .record({
      conversation: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 6 }),
      account: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
      closes: fc.boolean(),
      occurredAt: fc.option(fc.integer({ min: 0, max: 10_000 }), { freq: 5 }),
      poisoned: fc.boolean(),
    })
    .map((s) => ({
      ...s,
      // Where batches may commit in either order, a conversation's events tell one account (as
      // Smartsupp's do) or none, so "the first account" is the same whichever commits first.
      account: accountPerConversation && s.account !== null ? (s.conversation ?? 0) : s.account,
    }))

const runArb = (accountPerConversation: boolean) =>
  fc.record({
    shapes: fc.array(shapeArb(accountPerConversation), { minLength: KEYS, maxLength: KEYS }),
    waves: fc.array(
      fc.record({
        calls: fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: KEYS - 1 }),
            stagger: fc.constantFrom(0 as const, 1 as const, 2 as const),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        advanceMs: fc.integer({ min: 0, max: 3000 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })

function eventOf(key: number, shape: EventShape): NewStoredEvent {
  const poisoned = shape.poisoned && shape.conversation === null
  return {
    key: `key-${key}`,
    conversationId: poisoned || shape.conversation === null ? null : `conv-${shape.conversation}`,
    accountId: poisoned || shape.account === null ? null : `acc-${shape.account}`,
    event: poisoned ? null : shape.closes ? 'conversation.closed' : 'conversation.contact_replied',
    occurredAt:
      poisoned || shape.occurredAt === null ? null : new Date(Date.UTC(2026, 2, 1) + shape.occurredAt * 1000),
    closes: !poisoned && shape.closes,
    body: encoder.encode(JSON.stringify({ key, shape })),
    poisoned: poisoned ? `undecodable body ${key}` : null,
  }
}

/** Runs the waves against `store`: each wave's appends concurrently (staggered), waves one after another. */
async function runWaves(
  store: EventStore,
  clock: { advance(ms: number): void },
  run: { shapes: EventShape[]; waves: { calls: Call[]; advanceMs: number }[] },
  sequential: boolean,
): Promise<{ key: number; inserted: boolean }[]> {
  const outcomes: { key: number; inserted: boolean }[] = []
  for (const wave of run.waves) {
    const calls: Promise<AppendOutcome>[] = []
    for (const call of wave.calls) {
      const event = eventOf(call.key, run.shapes[call.key] as EventShape)
      if (sequential) {
        calls.push(Promise.resolve(await store.append(event)))
        continue
      }
      if (call.stagger === 1) await Promise.resolve()
      if (call.stagger === 2) await new Promise<void>((resolve) => setImmediate(resolve))
      calls.push(store.append(event))
    }
    const results = await Promise.all(calls)
    wave.calls.forEach((call, i) => {
      outcomes.push({ key: call.key, inserted: (results[i] as AppendOutcome).inserted })
    })
    clock.advance(wave.advanceMs)
  }
  return outcomes
}

/** Everything a store holds that appends write. */
async function snapshot(store: EventStore) {
  const conversations = await store.conversations({ limit: 1000 })
  const events = []
  for (const c of conversations) {
    for (const e of await store.events(c.conversationId)) events.push({ ...e, body: Array.from(e.body) })
  }
  const poisoned = (await store.poisoned(1000)).map((e) => ({ ...e, body: Array.from(e.body) }))
  return { conversations, events, poisoned }
}

function manualClock(start = Date.UTC(2026, 2, 1, 12)) {
  let t = start
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms
    },
  }
}

/** Counts the events of each batch statement a store sends (its parameters come 10 to a row). */
function batchSizes(sent: { sql: string; params?: readonly unknown[] }[]): number[] {
  return sent.filter((s) => s.sql.includes(BATCH_MARK)).map((s) => (s.params?.length ?? 0) / 10)
}

interface Subject {
  readonly name: string
  /** A fresh store on the given clock, and what it sent. */
  open(
    clock: () => Date,
  ): Promise<{ store: EventStore; sent: { sql: string; params?: readonly unknown[] }[] }>
  /** Whether batches commit strictly in order (one in flight), so flags match flag for flag. */
  readonly oneAtATime: boolean
  close(): Promise<void>
}

function pgliteSubject(): Subject & { setUp(): Promise<void> } {
  let db: PGlite
  const sent: { sql: string; params?: readonly unknown[] }[] = []
  return {
    name: 'PGlite',
    oneAtATime: true,
    async setUp() {
      db = await PGlite.create()
      const query = db.query.bind(db)
      db.query = ((sql: string, params?: unknown[], options?: unknown) => {
        sent.push({ sql, ...(params === undefined ? {} : { params }) })
        return query(sql, params, options as never)
      }) as typeof db.query
      // Batches run as prepared statements (Bind messages): each is recorded with its parameters.
      const execProtocol = db.execProtocol.bind(db)
      db.execProtocol = ((message: Uint8Array, options?: unknown) => {
        sent.push(...preparedBatches(message))
        return execProtocol(message, options as never)
      }) as typeof db.execProtocol
    },
    async open(clock) {
      sent.length = 0
      return { store: pgliteEventStore({ db, tablePrefix: uniquePrefix('ab'), clock }), sent }
    },
    close: () => db.close(),
  }
}

function postgresSubject(poolSize: number): Subject & { setUp(): Promise<void> } {
  let pool: pg.Pool
  const prefixes: string[] = []
  const sent: { sql: string; params?: readonly unknown[] }[] = []
  return {
    name: `PostgreSQL, a pool of ${poolSize}`,
    // A pool of 2 writes one batch at a time (half its connections).
    oneAtATime: poolSize < 4,
    async setUp() {
      pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: poolSize })
      const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
      pool.query = ((first: string | { text: string; values?: unknown[] }, second?: unknown[]) => {
        const sql = typeof first === 'string' ? first : first.text
        const params = typeof first === 'string' ? second : first.values
        sent.push({ sql, ...(params === undefined ? {} : { params }) })
        return query(first, second)
      }) as typeof pool.query
    },
    async open(clock) {
      sent.length = 0
      const tablePrefix = uniquePrefix('ab')
      prefixes.push(tablePrefix)
      return { store: postgresEventStore({ pool, tablePrefix, clock }), sent }
    },
    async close() {
      for (const prefix of prefixes) await dropTables(pool, prefix)
      await pool.end()
    },
  }
}

const subjects = [
  { subject: pgliteSubject(), skip: false, runs: 40 },
  { subject: postgresSubject(2), skip: skipPostgres, runs: 25 },
  { subject: postgresSubject(10), skip: skipPostgres, runs: 25 },
]

for (const { subject, skip, runs } of subjects) {
  describe.skipIf(skip)(`batched appends on ${subject.name}`, () => {
    beforeAll(() => subject.setUp())
    afterAll(() => subject.close())

    test('concurrent appends in random batches leave the store as sequential appends do, with the same inserted flags', async () => {
      const sizes: number[] = []
      await fc.assert(
        fc.asyncProperty(runArb(!subject.oneAtATime), async (run) => {
          const batchedClock = manualClock()
          const { store, sent } = await subject.open(batchedClock.now)
          const referenceClock = manualClock()
          const reference = memoryEventStore({ clock: referenceClock.now })
          try {
            const got = await runWaves(store, batchedClock, run, false)
            const expected = await runWaves(reference, referenceClock, run, true)
            sizes.push(...batchSizes(sent))
            if (subject.oneAtATime) {
              expect(got).toEqual(expected)
            } else {
              // Batches on several connections may commit in either order: which re-delivery
              // says inserted may differ, never how many.
              const count = (xs: typeof got, key: number) =>
                xs.filter((x) => x.key === key && x.inserted).length
              for (let key = 0; key < KEYS; key++) expect(count(got, key)).toBe(count(expected, key))
            }
            expect(await snapshot(store)).toEqual(await snapshot(reference))
          } finally {
            await store.close()
          }
        }),
        { numRuns: runs },
      )
      // Batches did form: several events in one statement, and lone ones too.
      expect(Math.max(...sizes)).toBeGreaterThan(3)
      expect(sizes).toContain(1)
    }, 300_000)

    test('appends made together go in one statement; a key twice in it is inserted once, by its first append', async () => {
      const clock = manualClock()
      const { store, sent } = await subject.open(clock.now)
      await store.migrate()
      sent.length = 0
      const shapes: EventShape[] = [
        { conversation: 1, account: null, closes: false, occurredAt: 5, poisoned: false },
        { conversation: 1, account: 1, closes: true, occurredAt: 1, poisoned: false },
        { conversation: 2, account: 2, closes: false, occurredAt: null, poisoned: false },
        { conversation: null, account: null, closes: false, occurredAt: null, poisoned: true },
      ]
      const order = [0, 1, 0, 2, 3, 1, 3]
      const outcomes = await Promise.all(order.map((k) => store.append(eventOf(k, shapes[k] as EventShape))))
      expect(outcomes.map((o) => o.inserted)).toEqual([true, true, false, true, true, false, false])
      expect(batchSizes(sent)).toEqual([4])
      expect(await store.conversation('conv-1')).toMatchObject({
        eventCount: 2,
        accountId: 'acc-1',
        firstEventAt: new Date(Date.UTC(2026, 2, 1) + 1000),
        lastEventAt: new Date(Date.UTC(2026, 2, 1) + 5000),
        closedAt: clock.now(),
      })
      // Again, all of them: nothing new.
      const again = await Promise.all(order.map((k) => store.append(eventOf(k, shapes[k] as EventShape))))
      expect(again.every((o) => !o.inserted)).toBe(true)
      expect((await store.conversation('conv-1'))?.eventCount).toBe(2)
      await store.close()
    })

    test('a batch that fails fails each of its appends, and stores none of them', async () => {
      const clock = manualClock()
      const { store } = await subject.open(clock.now)
      await store.migrate()
      const good = eventOf(1, { conversation: 1, account: 1, closes: false, occurredAt: 1, poisoned: false })
      // A value only the database refuses (the checks every store shares let it through): the
      // whole statement, and so every append in it, fails.
      const bad = { ...good, key: 'key-bad', occurredAt: new Date('-010000-01-01T00:00:00.000Z') }
      const outcomes = await Promise.allSettled([store.append(good), store.append(bad)])
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
      expect(await store.events('conv-1')).toEqual([])
      expect(await store.conversation('conv-1')).toBeNull()
      // The next batch is written as usual.
      expect(await store.append(good)).toEqual({ inserted: true })
      await store.close()
    })
  })
}
