import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DirectoryLockedError, pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { eventStoreContract } from './contract.js'
import { closingEvent, newEvent } from './support/new-event.js'
import { uniquePrefix } from './support/postgres-url.js'
import { testClock } from './support/test-clock.js'

// One PGlite per suite (starting one takes seconds); each test gets its own table prefix.
describe('pgliteEventStore in memory', () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
  })
  afterAll(async () => {
    await db.close()
  })
  eventStoreContract(async (clock) => {
    const tablePrefix = uniquePrefix('pgl')
    return {
      store: pgliteEventStore({ db, tablePrefix, clock }),
      another: async () => pgliteEventStore({ db, tablePrefix, clock }),
    }
  })
})

describe('pgliteEventStore on a data directory', () => {
  let dataDir: string
  let db: PGlite
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-pglite-'))
    db = await PGlite.create({ dataDir })
  })
  afterAll(async () => {
    await db.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  eventStoreContract(async (clock) => {
    const tablePrefix = uniquePrefix('pgd')
    return {
      store: pgliteEventStore({ db, tablePrefix, clock }),
      another: async () => pgliteEventStore({ db, tablePrefix, clock }),
    }
  })
})

describe('pgliteEventStore opening its own database', () => {
  test('keeps the events in dataDir: a store reopened on it finds them, bytes and state included', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-pglite-reopen-'))
    try {
      const clock = testClock()
      const body = new Uint8Array([0xff, 0x00, 0xfe, 0x7b])
      const first = pgliteEventStore({ dataDir, clock: clock.now })
      await first.append(newEvent('k1', { body }))
      await first.append(closingEvent('c1'))
      const [claim] = await first.claimFinished({ owner: 'A', leaseMs: 1000, quietMs: null, limit: 1 })
      await first.release(claim as NonNullable<typeof claim>, 'CRM down', 5000)
      await first.close()

      const second = pgliteEventStore({ dataDir, clock: clock.now })
      const events = await second.events('c1')
      expect(events.map((e) => e.key)).toEqual(['c1-closed', 'k1'])
      expect(Array.from(events[1]?.body ?? [])).toEqual([0xff, 0x00, 0xfe, 0x7b])
      expect(await second.conversation('c1')).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'CRM down',
      })
      expect(await second.append(newEvent('k1'))).toEqual({ inserted: false })
      await second.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  test('one store per directory: a second one, in this process too, is refused naming the holder until the first closes; then it takes over', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'smartsupp-pglite-lock-')), 'a', 'b')
    try {
      const first = pgliteEventStore({ dataDir })
      await first.append(newEvent('k1'))
      const second = pgliteEventStore({ dataDir })
      const refused = await second.append(newEvent('k2')).then(
        () => null,
        (e: unknown) => e,
      )
      expect(refused).toBeInstanceOf(DirectoryLockedError)
      expect((refused as DirectoryLockedError).holder?.pid).toBe(process.pid)
      expect((refused as Error).message).toMatch(
        /^the PGlite directory \S+ is in use by this process \(pid \d+, .+, since \S+\); stop it first: one process may use a PGlite directory at a time \(postgresEventStore shares the events between several processes\)$/,
      )
      await first.close()
      expect(await second.append(newEvent('k2'))).toEqual({ inserted: true })
      expect((await second.events('c1')).map((e) => e.key)).toEqual(['k1', 'k2'])
      await second.close()
    } finally {
      rmSync(join(dataDir, '..', '..'), { recursive: true, force: true })
    }
  })

  test('pglite(): the store’s own instance, for tables beside the events; closed with the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-pglite-own-'))
    try {
      const store = pgliteEventStore({ dataDir })
      const db = await store.pglite()
      expect(await store.pglite()).toBe(db)
      await db.exec('CREATE TABLE mine (n int); INSERT INTO mine VALUES (7)')
      await store.append(newEvent('k1'))
      await store.close()
      expect(db.closed).toBe(true)
      await expect(store.pglite()).rejects.toThrow('the PGlite event store was closed')
      const again = pgliteEventStore({ dataDir })
      expect((await (await again.pglite()).query<{ n: number }>('SELECT n FROM mine')).rows).toEqual([
        { n: 7 },
      ])
      await again.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  test('an unusable dataDir rejects the call (no throw at construction, no unhandled rejection)', async () => {
    const store = pgliteEventStore({ dataDir: '/proc/self/no-such-dir/pglite' })
    await expect(store.append(newEvent('k1'))).rejects.toThrow()
    await store.close()
  })

  test('a db passed in is not closed by close()', async () => {
    const db = await PGlite.create()
    try {
      const store = pgliteEventStore({ db, tablePrefix: uniquePrefix('pgc') })
      await store.append(newEvent('k1'))
      await store.close()
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await db.close()
    }
  })
})
