// The helper that gives a test a PostgreSQL server of its own (test/support/private-postgres.mjs),
// for the fault tests: it serves queries, freezes (SIGSTOP) and thaws, stops in immediate mode and
// restarts with its committed data recovered, dies by SIGKILL, and leaves no directory behind.
import { existsSync } from 'node:fs'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { type PrivatePostgres, startPrivatePostgres } from './private-postgres.mjs'

const query = async (url: string, sql: string, timeoutMs = 2_000) => {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  })
  try {
    await client.connect()
    return (await client.query(sql)).rows
  } finally {
    await client.end().catch(() => undefined)
  }
}

describe('startPrivatePostgres', { timeout: 120_000 }, () => {
  let server: PrivatePostgres
  afterAll(async () => {
    await server?.remove()
  })

  it('serves its own database on a free loopback port, trust authentication', async () => {
    server = await startPrivatePostgres({ database: 'fault_db' })
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/fault_db`)
    expect(await query(server.url, 'SELECT current_database() AS db')).toEqual([{ db: 'fault_db' }])
    expect(server.pid).toBeGreaterThan(0)
    expect(server.pids()).toContain(server.pid)
    expect(server.pids().length).toBeGreaterThan(1)
    await query(server.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)')
  })

  it('freeze: nothing answers until thaw', async () => {
    server.freeze()
    try {
      await expect(query(server.url, 'SELECT 1', 500)).rejects.toThrow(/timeout/i)
    } finally {
      server.thaw()
    }
    expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
  })

  it("stop('immediate'): refused; restart recovers what was committed", async () => {
    const port = server.port
    await server.stop('immediate')
    expect(server.pid).toBeNull()
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/)
    await server.restart()
    expect(server.port).toBe(port)
    expect(await query(server.url, 'SELECT n FROM kept ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }])
  })

  it('kill: SIGKILL to every process of it; restart works after that too', async () => {
    await server.kill()
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/)
    await server.restart()
    expect(await query(server.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 2 }])
  })

  it('remove: stopped and its directory gone; twice is fine', async () => {
    const dataDir = server.dataDir
    expect(existsSync(dataDir)).toBe(true)
    await server.remove()
    await server.remove()
    expect(existsSync(dataDir)).toBe(false)
    expect(existsSync(`${dataDir}/..`)).toBe(false)
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/)
  })
})
