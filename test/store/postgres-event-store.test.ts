import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEFAULT_QUERY_TIMEOUT_MS, postgresEventStore } from '../../src/store/postgres-event-store.js'
import { startPrivatePostgres } from '../support/private-postgres.mjs'
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

  describe('contract with preparedStatements: true', () => {
    eventStoreContract(async (clock) => {
      const tablePrefix = uniquePrefix('pgprep')
      prefixes.push(tablePrefix)
      const connectionString = requirePostgresUrl()
      const make = () =>
        postgresEventStore({ connectionString, tablePrefix, clock, preparedStatements: true })
      return { store: make(), another: async () => make() }
    })
  })

  test('preparedStatements: appends are named (prepared) statements only when turned on; anything but a boolean is refused', async () => {
    const named = async (preparedStatements?: boolean) => {
      const tablePrefix = uniquePrefix('pgnamed')
      prefixes.push(tablePrefix)
      const pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 2 })
      const names: string[] = []
      const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
      pool.query = ((config: unknown, ...rest: unknown[]) => {
        const name = (config as { name?: unknown } | null)?.name
        if (typeof name === 'string') names.push(name)
        return query(config, ...rest)
      }) as typeof pool.query
      try {
        const store = postgresEventStore(
          preparedStatements === undefined
            ? { pool, tablePrefix }
            : { pool, tablePrefix, preparedStatements },
        )
        await store.append(newEvent('k1'))
        await Promise.all(['k2', 'k3', 'k4'].map((key) => store.append(newEvent(key))))
        expect((await store.events('c1')).map((e) => e.key).sort()).toEqual(['k1', 'k2', 'k3', 'k4'])
        await store.close()
        return names
      } finally {
        await pool.end()
      }
    }
    expect(await named()).toEqual([])
    expect(await named(false)).toEqual([])
    const prepared = await named(true)
    expect(prepared.length).toBeGreaterThan(0)
    for (const name of prepared) expect(name).toMatch(/^smartsupp_/)
    expect(() => postgresEventStore({ preparedStatements: 'yes' as unknown as boolean })).toThrow(
      /preparedStatements must be true or false/,
    )
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

  test('queryTimeoutMs: 5 s by default; anything but a positive number of milliseconds or null is refused', () => {
    expect(DEFAULT_QUERY_TIMEOUT_MS).toBe(5000)
    for (const queryTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5000', 2 ** 31]) {
      expect(() => postgresEventStore({ queryTimeoutMs: queryTimeoutMs as number })).toThrow(
        /queryTimeoutMs must be a positive number of milliseconds, or null/,
      )
    }
    expect(() => postgresEventStore({ queryTimeoutMs: null })).not.toThrow()
  })
})

describe('postgresEventStore on a frozen server (SIGSTOP)', () => {
  test('a statement the server does not answer, and a connection it does not accept, reject after queryTimeoutMs; after the thaw it works again', async () => {
    await using server = await startPrivatePostgres({ database: 'frozen_store' })
    const store = postgresEventStore({ connectionString: server.url, queryTimeoutMs: 300 })
    try {
      await store.append(newEvent('k1'))
      server.freeze()
      try {
        // On the pool's connection: the statement is sent, never answered.
        await expect(store.append(newEvent('k2'))).rejects.toThrow(/timeout/i)
        // That connection was dropped: a new one is never accepted.
        await expect(store.events('c1')).rejects.toThrow(/timeout/i)
      } finally {
        server.thaw()
      }
      await store.append(newEvent('k2'))
      expect((await store.events('c1')).map((e) => e.key).sort()).toEqual(['k1', 'k2'])
    } finally {
      await store.close()
    }
  }, 60_000)

  test('appends queued behind batches the server does not answer reject too, within about queryTimeoutMs of their call, on a pool passed in (group commit bounded as a whole)', async () => {
    await using server = await startPrivatePostgres({ database: 'frozen_batches' })
    const timeoutMs = 500
    // node-postgres' default pool: no connectionTimeoutMillis, so a new connection to a frozen
    // server waits forever; bounding each statement alone, an append queued behind the first
    // batches (which time out and drop their connections) then waited forever too.
    const pool = new pg.Pool({ connectionString: server.url, max: 10 })
    pool.on('error', () => undefined)
    const store = postgresEventStore({ pool, queryTimeoutMs: timeoutMs })
    try {
      await store.append(newEvent('k0'))
      server.freeze()
      try {
        // 600 appends at once: 6 batches of 100, 5 written at once.
        const hung = Symbol('still waiting')
        const outcomes = await Promise.all(
          Array.from({ length: 600 }, (_, i) =>
            Promise.race([
              store.append(newEvent(`f${i}`)).then(
                () => null,
                (e: unknown) => e,
              ),
              // A hang detector, not a speed figure: 20× the timeout leaves room for a loaded machine.
              new Promise((resolve) => setTimeout(resolve, 20 * timeoutMs, hung)),
            ]),
          ),
        )
        expect(outcomes.filter((o) => o === hung)).toHaveLength(0)
        expect(outcomes.filter((o) => o === null)).toHaveLength(0)
        expect(String(outcomes[599])).toMatch(/queryTimeoutMs/)
      } finally {
        server.thaw()
      }
      // The store works again after the thaw.
      await store.append(newEvent('k1'))
      expect((await store.events('c1')).map((e) => e.key)).toContain('k1')
    } finally {
      await store.close()
      await pool.end()
    }
  }, 60_000)
})
