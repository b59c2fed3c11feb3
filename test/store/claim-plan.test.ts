// Claims read only what is due (issue 18, item 1): the claim's own statement, explained with
// ANALYZE at 5 000 and 500 000 unexported conversations built with one INSERT … SELECT
// generate_series, reads one range of the due_at index per kind and touches no row that is not
// due: none when nothing is due, exactly the due ones when some are, at most `limit` per kind
// when many are. Asserted on the plan's nodes and row counts, never on its times.
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { EventStore } from '../../src/store/event-store.js'
import type { SqlClient, SqlQuery } from '../../src/store/sql/sql-client.js'
import { sqlEventStore } from '../../src/store/sql/sql-event-store.js'
import { sqlTables } from '../../src/store/sql/sql-schema.js'
import { dropTables } from './support/drop-tables.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from './support/postgres-url.js'

const NOW = new Date('2026-03-01T12:00:00.000Z')
const claimOptions = { owner: 'plan', leaseMs: 60_000, settleMs: 30_000, quietMs: 30 * 60_000 } as const

interface PlanNode {
  readonly 'Node Type': string
  readonly 'Relation Name'?: string
  readonly 'Index Name'?: string
  readonly 'Index Cond'?: string
  readonly 'Actual Rows': number
  readonly 'Actual Loops': number
  readonly 'Rows Removed by Filter'?: number
  readonly 'Rows Removed by Index Recheck'?: number
  readonly Plans?: readonly PlanNode[]
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)]

/** A database the test can reach directly, and a store on it that records the statements it runs. */
interface Subject {
  readonly db: SqlQuery & { explain(sql: string, params: readonly unknown[]): Promise<PlanNode> }
  readonly store: EventStore
  /** The statements the store ran, latest last. */
  readonly statements: { sql: string; params: readonly unknown[] }[]
  readonly tablePrefix: string
}

function recording(inner: Omit<SqlClient, 'close'>): {
  client: SqlClient
  statements: Subject['statements']
} {
  const statements: Subject['statements'] = []
  return {
    statements,
    client: {
      query(sql, params = []) {
        statements.push({ sql, params })
        return inner.query(sql, params)
      },
      transaction: (work) => inner.transaction(work),
      close: async () => {},
    },
  }
}

/**
 * `count` unexported conversations, none due at NOW with `claimOptions`: open ones received in
 * the last 10 minutes (not quiet), closed ones in the last 25 s (not settled), ones claimed under
 * a live lease, ones whose retry is later, failed ones, and exported ones with late events not
 * settled yet. One statement.
 */
async function fill(db: SqlQuery, conversations: string, count: number): Promise<void> {
  await db.query(
    `INSERT INTO ${conversations} (conversation_id, event_count, exported_event_count, revision,
       last_received_at, closed_at, claim_owner, claim_until, retry_at, failed_at, attempts, failures)
     SELECT 'waiting-' || lpad(i::text, 7, '0'), 3,
       CASE WHEN i % 10 = 9 THEN 2 ELSE 0 END,
       CASE WHEN i % 10 = 9 THEN 1 ELSE 0 END,
       CASE WHEN i % 10 IN (4, 5, 9) THEN $1::timestamptz - (i % 25) * interval '1 second'
            WHEN i % 10 IN (6, 7, 8) THEN $1::timestamptz - interval '2 hours'
            ELSE $1::timestamptz - (i % 600) * interval '1 second' END,
       CASE WHEN i % 10 IN (4, 5, 6, 7, 8, 9) THEN $1::timestamptz - interval '1 hour' END,
       CASE WHEN i % 10 = 6 THEN 'live-owner' END,
       CASE WHEN i % 10 = 6 THEN $1::timestamptz + interval '1 minute' END,
       CASE WHEN i % 10 = 7 THEN $1::timestamptz + (1 + i % 300) * interval '1 second' END,
       CASE WHEN i % 10 = 8 THEN $1::timestamptz - interval '1 hour' END,
       1, CASE WHEN i % 10 IN (7, 8) THEN 1 ELSE 0 END
     FROM generate_series(1, $2::integer) AS i`,
    [NOW, count],
  )
}

/** `perKind` due conversations of each kind: settled closes, quiet ones, retries due, expired leases. */
async function addDue(db: SqlQuery, conversations: string, perKind: number, tag: string): Promise<string[]> {
  const rows = await db.query<{ conversation_id: string }>(
    `INSERT INTO ${conversations} (conversation_id, event_count, last_received_at, closed_at,
       claim_owner, claim_until, retry_at, attempts, failures)
     SELECT 'due-' || $3::text || '-' || kind || '-' || i, 2,
       $1::timestamptz - CASE kind WHEN 'quiet' THEN interval '31 minutes' ELSE interval '40 seconds' END - i * interval '1 ms',
       CASE WHEN kind IN ('settled', 'lease') THEN $1::timestamptz - interval '1 hour' END,
       CASE WHEN kind = 'lease' THEN 'dead-owner' END,
       CASE WHEN kind = 'lease' THEN $1::timestamptz - interval '1 second' END,
       CASE WHEN kind = 'retry' THEN $1::timestamptz - interval '1 second' END,
       1, CASE WHEN kind = 'retry' THEN 1 ELSE 0 END
     FROM unnest(ARRAY['settled', 'quiet', 'retry', 'lease']) AS kind, generate_series(1, $2::integer) AS i
     RETURNING conversation_id`,
    [NOW, perKind, tag],
  )
  return rows.map((r) => r.conversation_id)
}

/**
 * The ranges of the due_at index a plan reads (index scans, or bitmap index scans when the
 * planner expects few rows), after checking that nothing else reads the table but the update's
 * key lookup and three single-row probes of the same index, and that no row read is thrown away
 * by a filter.
 */
function dueScans(plan: PlanNode, conversations: string): PlanNode[] {
  const nodes = nodesOf(plan)
  expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan')
  // Every node that reads the table (the update itself aside).
  const readers = nodes.filter(
    (n) => n['Relation Name'] === conversations && n['Node Type'] !== 'ModifyTable',
  )
  for (const reader of readers) {
    expect(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan'], `${reader['Node Type']}`).toContain(
      reader['Node Type'],
    )
    expect(reader['Rows Removed by Filter'] ?? 0).toBe(0)
    expect(reader['Rows Removed by Index Recheck'] ?? 0).toBe(0)
    if (reader['Index Name'] !== undefined && reader['Index Name'] !== `${conversations}_due_at`) {
      expect(reader['Index Name']).toBe(`${conversations}_pkey`)
    }
  }
  const scans = nodes.filter((n) => n['Index Name'] === `${conversations}_due_at`)
  // Besides the ranges up to each cut-off, three probes for the first row past it (when the next
  // conversation becomes due): one row each at most.
  const probes = scans.filter((n) => /due_from > /.test(n['Index Cond'] ?? ''))
  expect(probes).toHaveLength(3)
  for (const probe of probes) expect(probe['Actual Rows'] * probe['Actual Loops']).toBeLessThanOrEqual(1)
  const ranges = scans.filter((n) => !probes.includes(n))
  for (const range of ranges) expect(range['Index Cond']).toMatch(/due_kind = \d+\) AND \(due_from <=/)
  return ranges
}

const touched = (scans: readonly PlanNode[]) =>
  scans.reduce((sum, s) => sum + s['Actual Rows'] * s['Actual Loops'], 0)

function claimPlanTests(sizes: readonly number[], open: () => Promise<Subject>, close: () => Promise<void>) {
  afterAll(close)
  for (const size of sizes) {
    test(`at ${size.toLocaleString('en-US')} unexported conversations, the claim reads only due rows`, async () => {
      const { db, store, statements, tablePrefix } = await open()
      await store.migrate()
      const conversations = sqlTables(tablePrefix).conversations
      await fill(db, conversations, size)
      const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM ${conversations} WHERE event_count > exported_event_count`,
      )
      expect(n).toBe(size)

      // Nothing due: three empty ranges, no row read; before the table was analyzed and after.
      expect(await store.claimFinished({ ...claimOptions, limit: 10 })).toEqual([])
      const claim = statements.at(-1) as Subject['statements'][number]
      expect(claim.sql).toMatch(/FOR UPDATE SKIP LOCKED/)
      for (const analyzed of [false, true]) {
        if (analyzed) await db.query(`ANALYZE ${conversations}`)
        const idle = dueScans(await db.explain(claim.sql, claim.params), conversations)
        expect(idle).toHaveLength(3)
        expect(touched(idle)).toBe(0)
      }

      // 3 due of each kind: exactly those are read, and all 12 are claimed.
      const due = await addDue(db, conversations, 3, 'few')
      const some = dueScans(await db.explain(claim.sql, claim.params), conversations)
      expect(touched(some)).toBe(due.length)
      expect(some.map((s) => s['Actual Rows']).sort()).toEqual([3, 3, 6])

      // Many due (250 of each kind), limit 10: each range stops after 10.
      await addDue(db, conversations, 250, 'many')
      const many = dueScans(await db.explain(claim.sql, claim.params), conversations)
      expect(many.every((s) => s['Actual Rows'] <= 10)).toBe(true)
      expect(touched(many)).toBe(30)

      const claimed = await store.claimFinished({ ...claimOptions, limit: 10 })
      expect(claimed).toHaveLength(10)
    }, 300_000)
  }
}

// The store's clock is NOW; the plan is read inside a transaction that is rolled back, so the
// explained claim changes nothing.
describe.skipIf(skipPostgres)('the claim on PostgreSQL reads only due rows', () => {
  let pool: pg.Pool
  const prefixes: string[] = []
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 3 })
  })
  claimPlanTests(
    [5_000, 500_000],
    async () => {
      const tablePrefix = uniquePrefix('plan')
      prefixes.push(tablePrefix)
      const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
        (await pool.query(sql, [...params])).rows as Row[]
      const { client, statements } = recording({
        query,
        async transaction(work) {
          const connection = await pool.connect()
          try {
            await connection.query('BEGIN')
            const result = await work({
              query: async (sql, params = []) => (await connection.query(sql, [...params])).rows,
            })
            await connection.query('COMMIT')
            return result
          } catch (error) {
            await connection.query('ROLLBACK')
            throw error
          } finally {
            connection.release()
          }
        },
      })
      const explain = async (sql: string, params: readonly unknown[]) => {
        const connection = await pool.connect()
        try {
          await connection.query('BEGIN')
          const { rows } = await connection.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [...params])
          return (rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]?.Plan as PlanNode
        } finally {
          await connection.query('ROLLBACK')
          connection.release()
        }
      }
      return {
        db: { query, explain },
        store: sqlEventStore(client, { tablePrefix, clock: () => NOW }),
        statements,
        tablePrefix,
      }
    },
    async () => {
      for (const prefix of prefixes) await dropTables(pool, prefix)
      await pool.end()
    },
  )
})

describe('the claim on PGlite reads only due rows', () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
  })
  claimPlanTests(
    [5_000],
    async () => {
      const tablePrefix = uniquePrefix('plan')
      const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
        (await db.query<Row>(sql, [...params])).rows
      const { client, statements } = recording({
        query,
        transaction: (work) =>
          db.transaction((tx) =>
            work({ query: async (sql, params = []) => (await tx.query(sql, [...params])).rows as never }),
          ),
      })
      const explain = async (sql: string, params: readonly unknown[]) => {
        await db.query('BEGIN')
        try {
          const { rows } = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
            [...params],
          )
          return rows[0]?.['QUERY PLAN'][0]?.Plan as PlanNode
        } finally {
          await db.query('ROLLBACK')
        }
      }
      return {
        db: { query, explain },
        store: sqlEventStore(client, { tablePrefix, clock: () => NOW }),
        statements,
        tablePrefix,
      }
    },
    () => db.close(),
  )
})
