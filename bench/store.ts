// `npx tsx bench/store.ts` (also the event store section of `npm run bench`): events appended per
// second and conversations claimed and marked exported per second, on PGlite (in memory and on a
// data directory) and on PostgreSQL over loopback (SMARTSUPP_TEST_POSTGRES_URL; `bash .ci/run npx
// tsx bench/store.ts` starts one), with 1 and 20 concurrent appenders / claimers. Wall-clock
// throughput of the whole round trip (driver, SQL, fsync), not CPU time. Each run uses its own
// tables (a fresh prefix, dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { parseWebhookEvent } from '../src/index.js'
import type { EventStore, NewStoredEvent } from '../src/store/index.js'
import { storedEventOf } from '../src/store/index.js'
import { pgliteEventStore } from '../src/store/pglite-event-store.js'
import { postgresEventStore } from '../src/store/postgres-event-store.js'
import { webhookFixtures } from '../src/testing/index.js'

const encoder = new TextEncoder()

/** `count` distinct real events (decoded fixtures, 20 per conversation), stored as the receiver would store them. */
function events(count: number, run: number): NewStoredEvent[] {
  const template = webhookFixtures['conversation.contact_replied']()
  return Array.from({ length: count }, (_, i) => {
    const conversationId = `bench-${run}-${Math.floor(i / 20)}`
    const body = structuredClone(template) as typeof template & {
      data: { conversation: { id: string }; message: { id: string; conversation_id: string } }
    }
    body.data.conversation.id = conversationId
    body.data.message.id = `m-${i}`
    body.data.message.conversation_id = conversationId
    const bytes = encoder.encode(JSON.stringify(body))
    const decoded = parseWebhookEvent(bytes)
    if (decoded._tag === 'Left') throw new Error(decoded.left.message)
    return storedEventOf(decoded.right, bytes)
  })
}

/** Runs `work(i)` for i in 0 … n-1 with `concurrency` in flight; returns items per second. */
async function rate(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await work(next++)
    }),
  )
  return (n / (performance.now() - start)) * 1000
}

interface Subject {
  readonly name: string
  open(tablePrefix: string): EventStore
  close(): Promise<void>
}

async function subjects(): Promise<Subject[]> {
  const memory = await PGlite.create()
  const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-bench-pglite-'))
  const onDisk = await PGlite.create({ dataDir })
  const list: Subject[] = [
    {
      name: 'PGlite, in memory',
      open: (p) => pgliteEventStore({ db: memory, tablePrefix: p }),
      close: () => memory.close(),
    },
    {
      name: 'PGlite, data directory',
      open: (p) => pgliteEventStore({ db: onDisk, tablePrefix: p }),
      close: async () => {
        await onDisk.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    },
  ]
  const url = process.env.SMARTSUPP_TEST_POSTGRES_URL
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 25 })
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version')
    list.push({
      name: `PostgreSQL ${rows[0]?.server_version ?? ''}, loopback`,
      open: (p) => postgresEventStore({ pool, tablePrefix: p }),
      close: async () => {
        for (const { tablename } of (
          await pool.query<{ tablename: string }>(
            `SELECT tablename FROM pg_tables WHERE tablename LIKE 'bench\\_%'`,
          )
        ).rows) {
          await pool.query(`DROP TABLE ${tablename}`)
        }
        await pool.end()
      },
    })
  }
  return list
}

export async function storeSection(options: { quick: boolean }): Promise<void> {
  const n = options.quick ? 400 : 2_000
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  console.log(
    `## event store: appends and claims per second (${n} events, 20 per conversation, load average ${load})\n`,
  )
  console.log(
    'Wall-clock throughput. *append*: `append(storedEventOf(event, bytes))` of distinct real events (~1 kB bodies), each its own transaction (event row + conversation row). *claim + export*: `claimFinished({ limit: 1 })` then `markExported` per closed conversation. PostgreSQL over loopback from .ci/run (fsync on); PGlite is one connection, so 20 concurrent callers queue.' +
      (process.env.SMARTSUPP_TEST_POSTGRES_URL
        ? '\n'
        : ' (SMARTSUPP_TEST_POSTGRES_URL not set: PostgreSQL skipped.)\n'),
  )
  console.log('| store | concurrency | appends/s | claims + exports/s | re-deliveries/s |')
  console.log('|---|---:|---:|---:|---:|')
  let run = 0
  for (const subject of await subjects()) {
    // Warm up (JIT, the driver, the database's caches) on throwaway tables.
    const warm = subject.open(`bench_${process.pid}_warm_`)
    const warmBatch = events(200, 0)
    await rate(warmBatch.length, 4, (i) => warm.append(warmBatch[i] as NewStoredEvent))
    await warm.close()
    for (const concurrency of [1, 20]) {
      run++
      const store = subject.open(`bench_${process.pid}_${run}_`)
      await store.migrate()
      const batch = events(n, run)
      const appends = await rate(n, concurrency, (i) => store.append(batch[i] as NewStoredEvent))
      const redeliveries = await rate(n, concurrency, (i) => store.append(batch[i] as NewStoredEvent))
      const ids = [...new Set(batch.map((e) => e.conversationId as string))]
      for (const id of ids) {
        await store.append({
          ...(batch[0] as NewStoredEvent),
          key: `${id}-closed`,
          conversationId: id,
          closes: true,
        })
      }
      const claims = await rate(ids.length, concurrency, async (i) => {
        const [claim] = await store.claimFinished({
          owner: `o${i}`,
          leaseMs: 60_000,
          quietMs: null,
          limit: 1,
        })
        if (claim === undefined) throw new Error('bench: nothing to claim')
        if (!(await store.markExported(claim))) throw new Error('bench: claim lost')
      })
      const f = (x: number) => Math.round(x).toLocaleString('en-US')
      console.log(`| ${subject.name} | ${concurrency} | ${f(appends)} | ${f(claims)} | ${f(redeliveries)} |`)
      await store.close()
    }
    await subject.close()
  }
  console.log('')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await storeSection({ quick: process.argv.includes('--quick') })
}
