// The store across processes: exactly one claim per conversation under 50 concurrent claimers in
// 2 processes (PostgreSQL), and a process killed with SIGKILL while appending loses nothing it had
// acknowledged (PostgreSQL and PGlite on a data directory).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { EventStore } from '../../src/store/event-store.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../src/store/postgres-event-store.js'
import { type Child, startChild } from './support/child-process.js'
import { crashEvent } from './support/crash-events.js'
import { dropTables } from './support/drop-tables.js'
import { closingEvent } from './support/new-event.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from './support/postgres-url.js'

const CRASH_COUNT = 1_000_000

/** The indexes a child acknowledged (printed after its append resolved). */
function acked(child: Child): number[] {
  return child.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.split(' ')[1]))
}

/**
 * Kills the appending child with SIGKILL once it acknowledged `after` events, then checks with a
 * fresh store that every acknowledged event is there with its exact bytes, that each conversation's
 * count matches its events (the event and its conversation row were written together), and that
 * re-appending everything the child may have sent inserts exactly the ones that were not stored.
 */
async function crashAndCheck(child: Child, after: number, reopen: () => EventStore): Promise<void> {
  await child.waitFor((lines) => lines.filter((l) => l.startsWith('ack ')).length >= after)
  child.process.kill('SIGKILL')
  const exit = await child.exited
  expect(exit.signal).toBe('SIGKILL')
  const acknowledged = acked(child)
  expect(acknowledged.length).toBeGreaterThanOrEqual(after)
  expect(child.lines).not.toContain('done')

  const store = reopen()
  try {
    const stored = new Map<string, Uint8Array>()
    for (let c = 0; c < 10; c++) {
      const events = await store.events(`crash-${c}`)
      for (const e of events) stored.set(e.key, e.body)
      expect((await store.conversation(`crash-${c}`))?.eventCount ?? 0).toBe(events.length)
    }
    for (const i of acknowledged) {
      const event = crashEvent(i)
      expect(stored.has(event.key), `acknowledged ${event.key} was lost`).toBe(true)
      expect(Array.from(stored.get(event.key) ?? [])).toEqual(Array.from(event.body))
    }
    // Everything the child could have started: past its last acknowledgement by its concurrency.
    const sent = Math.max(...acknowledged) + 20
    let inserted = 0
    for (let i = 0; i < sent; i++) {
      const outcome = await store.append(crashEvent(i))
      expect(outcome.inserted, `crash-key-${i}`).toBe(!stored.has(crashEvent(i).key))
      if (outcome.inserted) inserted++
    }
    expect(inserted).toBe(sent - stored.size)
    let total = 0
    for (let c = 0; c < 10; c++) total += (await store.events(`crash-${c}`)).length
    expect(total).toBe(sent)
  } finally {
    await store.close()
  }
}

describe.skipIf(skipPostgres)('postgresEventStore across processes', () => {
  let admin: pg.Pool
  const prefixes: string[] = []
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: requirePostgresUrl(), max: 2 })
  })
  afterAll(async () => {
    for (const prefix of prefixes) await dropTables(admin, prefix)
    await admin?.end()
  })

  test('50 concurrent claimers in 2 processes: every closed conversation is claimed exactly once', async () => {
    const url = requirePostgresUrl()
    const tablePrefix = uniquePrefix('mpc')
    prefixes.push(tablePrefix)
    const store = postgresEventStore({ connectionString: url, tablePrefix })
    const ids = Array.from({ length: 150 }, (_, i) => `multi-${String(i).padStart(3, '0')}`)
    try {
      await Promise.all(ids.map((id) => store.append(closingEvent(id))))
    } finally {
      await store.close()
    }
    const children = [0, 1].map(() =>
      startChild('./claimer-process.ts', { URL: url, PREFIX: tablePrefix, CLAIMERS: '25' }),
    )
    await Promise.all(children.map((c) => c.waitFor((lines) => lines.includes('ready'))))
    for (const c of children) c.process.stdin?.end('go\n')
    const exits = await Promise.all(children.map((c) => c.exited))
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 })
    const claims = children.flatMap((c) =>
      c.lines.filter((l) => l.startsWith('claim ')).map((l) => l.split(' ')),
    )
    expect(claims.map((c) => c[1]).sort()).toEqual(ids)
    expect(claims.every((c) => c[3] === '1')).toBe(true)
    // 50 distinct owners were there to claim; the database agrees: one attempt each, all claimed.
    const { rows } = await admin.query<{ attempts: number; n: string }>(
      `SELECT attempts, count(*) AS n FROM ${tablePrefix}conversations GROUP BY attempts`,
    )
    expect(rows).toEqual([{ attempts: 1, n: String(ids.length) }])
  })

  test('a process killed (SIGKILL) mid-stream of appends loses nothing it acknowledged', async () => {
    const url = requirePostgresUrl()
    const tablePrefix = uniquePrefix('mpk')
    prefixes.push(tablePrefix)
    const child = startChild('./append-process.ts', {
      STORE: 'postgres',
      URL: url,
      PREFIX: tablePrefix,
      COUNT: String(CRASH_COUNT),
      CONCURRENCY: '8',
    })
    await crashAndCheck(child, 300, () => postgresEventStore({ connectionString: url, tablePrefix }))
  })
})

describe('pgliteEventStore across processes', () => {
  let dataDir: string
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-pglite-crash-'))
  })
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('a process killed (SIGKILL) mid-stream of appends loses nothing it acknowledged; the data directory reopens', async () => {
    const child = startChild('./append-process.ts', {
      STORE: 'pglite',
      DATA_DIR: dataDir,
      COUNT: String(CRASH_COUNT),
      CONCURRENCY: '4',
    })
    await crashAndCheck(child, 100, () => pgliteEventStore({ dataDir }))
  }, 60_000)
})
