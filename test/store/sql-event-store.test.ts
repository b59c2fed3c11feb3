// What only the SQL stores have: table prefixes, the schema version, what a newer schema does.
// Run on PGlite; the same SQL runs on PostgreSQL (postgres-event-store.test.ts).
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { closingEvent, newEvent } from './support/new-event.js'
import { uniquePrefix } from './support/postgres-url.js'

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
    expect(versions.rows).toEqual([{ version: 1 }])
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
    await db.query(`INSERT INTO ${tablePrefix}schema_version (version, applied_at) VALUES (2, now())`)
    const store = pgliteEventStore({ db, tablePrefix })
    await expect(store.append(newEvent('k1'))).rejects.toThrow(
      /schema version 2, newer .* upgrade smartsupp-hook/,
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
    expect(rows).toEqual([{ applied_at: at }])
  })
})
