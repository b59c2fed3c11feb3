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

  describe('contract with preparedStatements: false', () => {
    eventStoreContract(async (clock) => {
      const tablePrefix = uniquePrefix('pgprep')
      prefixes.push(tablePrefix)
      const connectionString = requirePostgresUrl()
      const make = () =>
        postgresEventStore({ connectionString, tablePrefix, clock, preparedStatements: false })
      return { store: make(), another: async () => make() }
    })
  })

  /** A pool whose named statements can be made to fail as a pooler makes them fail; it records their names. */
  const watchedPool = (failNamed?: string) => {
    const pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 2 })
    const named: string[] = []
    const unnamedAppends: string[] = []
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
    pool.query = ((config: unknown, ...rest: unknown[]) => {
      const c = config as { name?: unknown; text?: unknown } | null
      if (typeof c?.name === 'string') {
        named.push(c.name)
        if (failNamed !== undefined) {
          const error = Object.assign(new Error(`prepared statement "${c.name}" (${failNamed})`), {
            code: failNamed,
          })
          return Promise.reject(error)
        }
      } else if (typeof c?.text === 'string' && c.text.includes('append batch')) unnamedAppends.push(c.text)
      return query(config, ...rest)
    }) as typeof pool.query
    return { pool, named, unnamedAppends }
  }

  const appendFour = async (pool: pg.Pool, preparedStatements?: boolean) => {
    const tablePrefix = uniquePrefix('pgnamed')
    prefixes.push(tablePrefix)
    const store = postgresEventStore(
      preparedStatements === undefined ? { pool, tablePrefix } : { pool, tablePrefix, preparedStatements },
    )
    try {
      await store.append(newEvent('k1'))
      await Promise.all(['k2', 'k3', 'k4'].map((key) => store.append(newEvent(key))))
      return (await store.events('c1')).map((e) => e.key).sort()
    } finally {
      await store.close()
    }
  }

  test('preparedStatements: appends are prepared (named) statements by default, never with false; anything but a boolean is refused', async () => {
    for (const [option, prepares] of [
      [undefined, true],
      [true, true],
      [false, false],
    ] as const) {
      const { pool, named } = watchedPool()
      try {
        expect(await appendFour(pool, option)).toEqual(['k1', 'k2', 'k3', 'k4'])
        expect(named.length > 0, `preparedStatements: ${option}`).toBe(prepares)
        for (const name of named) expect(name).toMatch(/^smartsupp_/)
      } finally {
        await pool.end()
      }
    }
    expect(() => postgresEventStore({ preparedStatements: 'yes' as unknown as boolean })).toThrow(
      /preparedStatements must be true or false/,
    )
  })

  test.each([
    ['26000', 'missing on the server connection'],
    ['42P05', 'already there under that name'],
  ])(
    'behind a pooler that loses prepared statements (%s: %s), the batch is sent again unprepared, and nothing is prepared after',
    async (code) => {
      const { pool, named, unnamedAppends } = watchedPool(code)
      try {
        expect(await appendFour(pool)).toEqual(['k1', 'k2', 'k3', 'k4'])
        // One named try, refused; every batch since (the first one again included) unprepared.
        expect(named).toHaveLength(1)
        expect(unnamedAppends.length).toBeGreaterThanOrEqual(2)
      } finally {
        await pool.end()
      }
    },
  )

  test('another error of a prepared batch is not retried: the appends reject with it', async () => {
    const { pool, named } = watchedPool('XX000')
    try {
      await expect(appendFour(pool)).rejects.toThrow(/XX000/)
      expect(named).toHaveLength(1)
    } finally {
      await pool.end()
    }
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
