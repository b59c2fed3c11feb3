// What only the SQL stores have: table prefixes, the schema version, what a newer schema does.
// Run on PGlite; the same SQL runs on PostgreSQL (postgres-event-store.test.ts).
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { migrations, schemaVersionTable, sqlTables } from '../../src/store/sql/sql-schema.js'
import { seededRandom } from '../support/seeded-random.js'
import { closingEvent, newEvent } from './support/new-event.js'
import { uniquePrefix } from './support/postgres-url.js'
import { testClock } from './support/test-clock.js'

describe('SQL event store', () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
  })
  afterAll(async () => {
    await db.close()
  })

  test('tablePrefix must be a plain lowercase identifier; the error says what to use', () => {
    for (const bad of [
      '',
      'Smartsupp_',
      '1x_',
      'a-b',
      'x; DROP TABLE y; --',
      'public.smartsupp_',
      'x'.repeat(41),
    ]) {
      expect(() => pgliteEventStore({ db, tablePrefix: bad }), bad).toThrow(
        /tablePrefix .* lowercase letters/,
      )
    }
    expect(() => pgliteEventStore({ db, tablePrefix: `_${'x'.repeat(39)}` })).not.toThrow()
  })

  test('the default prefix is smartsupp_: tables smartsupp_events, smartsupp_conversations, smartsupp_schema_version', async () => {
    const store = pgliteEventStore({ db })
    await store.migrate()
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'smartsupp\\_%' ORDER BY 1`,
    )
    expect(rows.map((r) => r.table_name)).toEqual([
      'smartsupp_conversations',
      'smartsupp_events',
      'smartsupp_schema_version',
    ])
    const versions = await db.query<{ version: number }>('SELECT version FROM smartsupp_schema_version')
    expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }])
  })

  test('two prefixes in one database are two separate stores', async () => {
    const a = pgliteEventStore({ db, tablePrefix: uniquePrefix('sa') })
    const b = pgliteEventStore({ db, tablePrefix: uniquePrefix('sb') })
    await a.append(closingEvent('c1'))
    expect(await b.events('c1')).toEqual([])
    expect(await b.append(closingEvent('c1'))).toEqual({ inserted: true })
    expect(await b.claimFinished({ owner: 'B', leaseMs: 1000, quietMs: null, limit: 5 })).toHaveLength(1)
    expect(await a.claimFinished({ owner: 'A', leaseMs: 1000, quietMs: null, limit: 5 })).toHaveLength(1)
  })

  test('a schema newer than this library is refused, naming the fix', async () => {
    const tablePrefix = uniquePrefix('sn')
    await pgliteEventStore({ db, tablePrefix }).migrate()
    await db.query(`INSERT INTO ${tablePrefix}schema_version (version, applied_at) VALUES (4, now())`)
    const store = pgliteEventStore({ db, tablePrefix })
    await expect(store.append(newEvent('k1'))).rejects.toThrow(
      /schema version 4, newer .* upgrade smartsupp-hook/,
    )
  })

  test('every time is the clock’s, sent as a parameter (not the database’s now())', async () => {
    const at = new Date('2001-02-03T04:05:06.789Z')
    const tablePrefix = uniquePrefix('sc')
    const store = pgliteEventStore({ db, tablePrefix, clock: () => at })
    await store.append(closingEvent('c1'))
    expect(await store.conversation('c1')).toMatchObject({ lastReceivedAt: at, closedAt: at })
    const { rows } = await db.query<{ applied_at: Date }>(
      `SELECT applied_at FROM ${tablePrefix}schema_version`,
    )
    expect(rows).toEqual([{ applied_at: at }, { applied_at: at }, { applied_at: at }])
  })

  test('migration 2 upgrades a store of schema 1 in place: exports become revision 1, events after them revision 2', async () => {
    const tablePrefix = uniquePrefix('sm')
    const t = sqlTables(tablePrefix)
    // Schema 1 as a previous release left it, with its bookkeeping written the way it wrote it.
    await db.query(schemaVersionTable(t))
    for (const statement of migrations(t)[0] ?? []) await db.query(statement)
    await db.query(`INSERT INTO ${t.schemaVersion} (version, applied_at) VALUES (1, now())`)
    const row = (id: string, events: number, extra: string) =>
      db.query(
        `INSERT INTO ${t.conversations} (conversation_id, event_count, last_received_at, closed_at,
           exported_at, claim_owner, claim_until, attempts, last_error, retry_at, events_after_export)
         VALUES ($1, $2, '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z', ${extra})`,
        [id, events],
      )
    await row('done', 3, `'2026-03-01T12:01:00Z', NULL, NULL, 1, NULL, NULL, 0`)
    await row('late', 5, `'2026-03-01T12:01:00Z', NULL, NULL, 2, 'CRM down', NULL, 2`)
    await row('retrying', 2, `NULL, NULL, NULL, 2, 'CRM down', '2026-03-01T12:05:00Z', 0`)
    await row('claimed', 2, `NULL, 'A', '2026-03-01T12:09:00Z', 1, NULL, NULL, 0`)
    for (const [id, count] of [
      ['done', 3],
      ['late', 5],
      ['retrying', 2],
      ['claimed', 2],
    ] as const) {
      for (let i = 0; i < count; i++) {
        await db.query(
          `INSERT INTO ${t.events} (key, conversation_id, closes, body, received_at) VALUES ($1, $2, false, '\\x7b7d', now())`,
          [`${id}-${i}`, id],
        )
      }
    }
    const clock = testClock(Date.parse('2026-03-01T12:10:00Z'))
    const store = pgliteEventStore({ db, tablePrefix, clock: clock.now })
    const byId = async (id: string) => store.conversation(id)
    expect(await byId('done')).toMatchObject({
      state: 'exported',
      revision: 1,
      eventsAfterExport: 0,
      failures: 0,
    })
    expect(await byId('late')).toMatchObject({ state: 'pending', revision: 1, eventsAfterExport: 2 })
    expect(await byId('retrying')).toMatchObject({ state: 'pending', revision: 0, failures: 2 })
    expect(await byId('claimed')).toMatchObject({ state: 'pending', revision: 0, failures: 0, attempts: 1 })
    const claims = await store.claimFinished({ owner: 'B', leaseMs: 1000, quietMs: null, limit: 10 })
    expect(claims.map((c) => [c.conversationId, c.revision, c.failures]).sort()).toEqual([
      ['claimed', 1, 1],
      ['late', 2, 0],
      ['retrying', 1, 2],
    ])
    const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${t.schemaVersion} ORDER BY 1`)
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }])
  })

  test('migration 3 keeps what is due: on rows of schema 2 in every state, claims pick exactly what schema 2 picked, in due order', async () => {
    const random = seededRandom(18)
    const base = Date.parse('2026-03-01T12:00:00Z')
    const minute = 60_000
    const at = (offsetMinutes: number) => new Date(base + Math.round(offsetMinutes * minute))
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T
    // 300 conversations in every combination of the columns that decide a claim.
    const rows = Array.from({ length: 300 }, (_, i) => {
      const eventCount = 1 + Math.floor(random() * 4)
      const exported = random() < 0.4
      const exportedEventCount = exported ? pick([eventCount, eventCount - 1, 0]) : 0
      const claimed = random() < 0.3
      return {
        id: `m3-${String(i).padStart(3, '0')}`,
        eventCount,
        revision: exported ? 1 + Math.floor(random() * 3) : 0,
        exportedEventCount: Math.max(0, exportedEventCount),
        lastReceivedAt: at(-120 + random() * 130),
        closedAt: random() < 0.5 ? at(-130) : null,
        claimOwner: claimed ? 'old-owner' : null,
        claimUntil: claimed ? at(-20 + random() * 40) : null,
        retryAt: random() < 0.3 ? at(-20 + random() * 40) : null,
        failedAt: random() < 0.1 ? at(-5) : null,
      }
    })
    const options = [
      { settleMs: 0, quietMs: null },
      { settleMs: 30_000, quietMs: 30 * minute },
      { settleMs: 45 * minute, quietMs: 10 * minute },
      { settleMs: 5 * minute, quietMs: null },
      { settleMs: 0, quietMs: 1 },
    ] as const
    for (const option of options) {
      const tablePrefix = uniquePrefix('m3')
      const t = sqlTables(tablePrefix)
      await db.query(schemaVersionTable(t))
      for (const migration of migrations(t).slice(0, 2))
        for (const statement of migration) await db.query(statement)
      await db.query(`INSERT INTO ${t.schemaVersion} (version, applied_at) VALUES (1, now()), (2, now())`)
      for (const r of rows) {
        await db.query(
          `INSERT INTO ${t.conversations} (conversation_id, event_count, revision, exported_event_count,
             last_received_at, closed_at, claim_owner, claim_until, retry_at, failed_at, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
          [
            r.id,
            r.eventCount,
            r.revision,
            r.exportedEventCount,
            r.lastReceivedAt,
            r.closedAt,
            r.claimOwner,
            r.claimUntil,
            r.retryAt,
            r.failedAt,
          ],
        )
      }
      const now = new Date(base)
      // Schema 2's claim condition, as it shipped.
      const before = await db.query<{ conversation_id: string }>(
        `SELECT conversation_id FROM ${t.conversations}
         WHERE failed_at IS NULL AND event_count > exported_event_count
           AND (claim_until IS NULL OR claim_until <= $1) AND (retry_at IS NULL OR retry_at <= $1)
           AND (retry_at IS NOT NULL OR claim_owner IS NOT NULL
                OR (closed_at IS NOT NULL AND last_received_at <= $3::timestamptz)
                OR last_received_at <= $2::timestamptz)`,
        [
          now,
          option.quietMs === null ? null : new Date(now.getTime() - option.quietMs),
          new Date(now.getTime() - option.settleMs),
        ],
      )
      const store = pgliteEventStore({ db, tablePrefix, clock: () => now })
      const claims = await store.claimFinished({
        owner: 'new-owner',
        leaseMs: minute,
        limit: 1000,
        ...option,
      })
      const expected = before.rows.map((r) => r.conversation_id).sort()
      expect(expected.length, JSON.stringify(option)).toBeGreaterThan(10)
      expect(claims.map((c) => c.conversationId).sort(), JSON.stringify(option)).toEqual(expected)
      // In the order they started to wait: the retry time or lease end, else the last receipt.
      const waitingSince = (id: string) => {
        const r = rows.find((x) => x.id === id) as (typeof rows)[number]
        return r.claimOwner !== null || r.retryAt !== null
          ? Math.max(r.claimUntil?.getTime() ?? 0, r.retryAt?.getTime() ?? 0)
          : r.lastReceivedAt.getTime()
      }
      const order = [...expected].sort((a, b) => waitingSince(a) - waitingSince(b) || (a < b ? -1 : 1))
      expect(claims.map((c) => c.conversationId)).toEqual(order)
      const { rows: versions } = await db.query<{ version: number }>(
        `SELECT version FROM ${t.schemaVersion} ORDER BY 1`,
      )
      expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }])
    }
  })
})
