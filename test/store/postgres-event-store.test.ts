import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { postgresEventStore } from '../../src/store/postgres-event-store.js'
import { eventStoreContract } from './contract.js'
import { dropTables } from './support/drop-tables.js'
import { newEvent } from './support/new-event.js'
import { postgresUrl, requirePostgresUrl, skipPostgres, uniquePrefix } from './support/postgres-url.js'

describe.skipIf(skipPostgres)('postgresEventStore', () => {
  let admin: pg.Pool
  const prefixes: string[] = []
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: requirePostgresUrl(), max: 2 })
  })
  afterAll(async () => {
    for (const prefix of prefixes) await dropTables(admin, prefix)
    await admin?.end()
  })

  test('has a server to test against (SMARTSUPP_TEST_POSTGRES_URL; .ci/run sets it)', async () => {
    expect(postgresUrl).toBeDefined()
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version')
    expect(rows[0]?.server_version).toMatch(/^\d+/)
  })

  describe('contract (a pool per store object, like separate processes)', () => {
    eventStoreContract(async (clock) => {
      const tablePrefix = uniquePrefix('pg')
      prefixes.push(tablePrefix)
      const connectionString = requirePostgresUrl()
      return {
        store: postgresEventStore({ connectionString, tablePrefix, clock }),
        another: async () => postgresEventStore({ connectionString, tablePrefix, clock }),
      }
    })
  })

  test('a pool passed in is not ended by close()', async () => {
    const tablePrefix = uniquePrefix('pgp')
    prefixes.push(tablePrefix)
    const pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 2 })
    try {
      const store = postgresEventStore({ pool, tablePrefix })
      await store.append(newEvent('k1'))
      await store.close()
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
    }
  })

  test('a server that cannot be reached rejects the call; the next call tries again', async () => {
    const store = postgresEventStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })
    await expect(store.append(newEvent('k1'))).rejects.toThrow(/ECONNREFUSED|connect/)
    await expect(store.events('c1')).rejects.toThrow(/ECONNREFUSED|connect/)
    await store.close()
  })
})
