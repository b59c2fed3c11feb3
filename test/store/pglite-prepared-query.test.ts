import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { hasPGliteProtocol, pglitePreparedQuery } from '../../src/store/pglite-prepared-query.js'
import { newEvent } from './support/new-event.js'

describe('pglitePreparedQuery', () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
    await db.exec(
      'CREATE TABLE t (id integer PRIMARY KEY, at timestamptz, body bytea, flag boolean, name text)',
    )
  })
  afterAll(() => db.close())

  const INSERT = `INSERT INTO t (id, at, body, flag, name)
    VALUES ($1::integer, $2::timestamptz, $3::bytea, $4::boolean, $5::text)
    RETURNING id, at, ARRAY[id, id + 1] AS ids, (SELECT count(*)::integer FROM t) AS before`

  test('PGlite has what it needs', () => {
    expect(hasPGliteProtocol(db)).toBe(true)
    expect(hasPGliteProtocol({ query: () => undefined })).toBe(false)
  })

  test('returns the rows query returns, parameters and columns of each type, nulls included', async () => {
    const at = new Date('2026-12-01T09:00:00.123Z')
    const rows = await pglitePreparedQuery<{ id: number; at: Date | null; ids: number[]; before: number }>(
      db,
      'insert_t',
      INSERT,
      [1, at, new Uint8Array([0, 255, 7]), true, 'a'],
    )
    expect(rows).toEqual([{ id: 1, at, ids: [1, 2], before: 0 }])
    await pglitePreparedQuery(db, 'insert_t', INSERT, [2, null, new Uint8Array([]), false, null])
    const stored = await db.query<{
      id: number
      at: Date | null
      body: Uint8Array
      flag: boolean
      name: string | null
    }>('SELECT id, at, body, flag, name FROM t ORDER BY id')
    expect(stored.rows).toEqual([
      { id: 1, at, body: new Uint8Array([0, 255, 7]), flag: true, name: 'a' },
      { id: 2, at: null, body: new Uint8Array([]), flag: false, name: null },
    ])
  })

  test('prepares again a statement deallocated meanwhile, and uses one prepared by someone else', async () => {
    await db.exec('DEALLOCATE ALL')
    expect(await pglitePreparedQuery(db, 'insert_t', INSERT, [3, null, null, null, null])).toHaveLength(1)
    await db.query(`PREPARE taken (integer, timestamptz, bytea, boolean, text) AS ${INSERT}`)
    expect(await pglitePreparedQuery(db, 'taken', INSERT, [4, null, null, null, null])).toHaveLength(1)
  })

  test('a failing statement rejects with the database error and nothing of it is kept', async () => {
    await expect(
      pglitePreparedQuery(db, 'insert_t', INSERT, [1, null, null, null, null]),
    ).rejects.toMatchObject({
      code: '23505',
    })
    expect(await pglitePreparedQuery(db, 'insert_t', INSERT, [5, null, null, null, null])).toHaveLength(1)
  })

  test('never runs inside another caller’s transaction: a rollback there keeps what it wrote', async () => {
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let inside: () => void = () => {}
    const entered = new Promise<void>((resolve) => {
      inside = resolve
    })
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO t (id, name) VALUES (100, 'rolled back')")
      inside()
      await held
      await tx.rollback()
    })
    await entered
    const written = pglitePreparedQuery(db, 'insert_t', INSERT, [101, null, null, null, 'kept'])
    release()
    await transaction
    await written
    const { rows } = await db.query<{ id: number }>('SELECT id FROM t WHERE id >= 100 ORDER BY id')
    expect(rows).toEqual([{ id: 101 }])
  })
})

describe('pgliteEventStore with prepared batches', () => {
  test('appends after the session lost its prepared statements, with the same outcomes', async () => {
    const db = await PGlite.create()
    try {
      const store = pgliteEventStore({ db })
      const a = newEvent('k-a', { conversationId: 'c-1' })
      expect(await store.append(a)).toEqual({ inserted: true })
      await db.exec('DEALLOCATE ALL')
      expect(await store.append(a)).toEqual({ inserted: false })
      expect(await store.append(newEvent('k-b', { conversationId: 'c-1' }))).toEqual({ inserted: true })
      expect((await store.events('c-1')).map((e) => e.key)).toEqual(['k-a', 'k-b'])
    } finally {
      await db.close()
    }
  })
})
