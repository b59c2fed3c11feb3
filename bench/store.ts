// `npm run bench:store` (also the event store section of `npm run bench`): scale figures of the
// event store (issue 12, deliver 6).
// (a) Per store — PGlite in memory, PGlite on a data directory, PostgreSQL over loopback
//     (SMARTSUPP_TEST_POSTGRES_URL; `bash .ci/run npm run bench:store` starts one) — with 1 and 20
//     concurrent callers: events appended per second, re-deliveries per second, events assembled
//     per second (`events()` + decode + `assembleConversation`), and conversations claimed and
//     marked exported per second.
// (b) Two receiver processes (node:http + the webhook listener, the e2e test's
//     test/store/support/receiver-process.ts) sharing one PostgreSQL, under 200 concurrent signed
//     deliveries, shuffled and partly re-delivered: deliveries answered per second, and the time
//     until every conversation was exported; beside it the same with one process.
// Wall-clock throughput of the whole round trip (driver, SQL, fsync, HTTP), not CPU time. Each run
// uses its own tables (a fresh prefix, dropped afterwards). `-- --quick` for a short run.
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { assembleConversation } from '../src/assemble/assemble-conversation.js'
import { parseWebhookEvent, signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../src/index.js'
import type { EventStore, NewStoredEvent } from '../src/store/index.js'
import { storedEventOf } from '../src/store/index.js'
import { pgliteEventStore } from '../src/store/pglite-event-store.js'
import { postgresEventStore } from '../src/store/postgres-event-store.js'
import { scaleConversationEvents } from '../test/store/support/scale-conversation.js'
import { seededRandom as random } from '../test/support/seeded-random.js'

const encoder = new TextEncoder()
const EVENTS_PER_CONVERSATION = 20
const postgresUrl = process.env.SMARTSUPP_TEST_POSTGRES_URL || undefined
const POSTGRES_SKIPPED =
  'SMARTSUPP_TEST_POSTGRES_URL is not set: the PostgreSQL rows are skipped (run `bash .ci/run npm run bench:store`, which starts a server, or set the variable to a database URL).'

/** How many messages one assembled conversation has (16: system messages included), to check each run by. */
const MESSAGES_PER_CONVERSATION = (() => {
  const decoded = scaleConversationEvents('probe', 1).map((e) => {
    const d = parseWebhookEvent(JSON.stringify(e))
    if (d._tag === 'Left') throw new Error(d.left.message)
    return d.right
  })
  const assembled = assembleConversation(decoded)
  if (assembled._tag === 'Left') throw new Error(assembled.left.message)
  return assembled.right.messages.length
})()

/** `count` events (whole conversations of 20), stored as the receiver stores them. */
function storedEvents(count: number, run: number): NewStoredEvent[] {
  const out: NewStoredEvent[] = []
  for (let c = 0; out.length < count; c++) {
    for (const event of scaleConversationEvents(`bench-${run}-${c}`, c)) {
      const bytes = encoder.encode(JSON.stringify(event))
      const decoded = parseWebhookEvent(bytes)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      out.push(storedEventOf(decoded.right, bytes))
    }
  }
  return out
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

/** What a receiver does with a finished conversation before `onConversationFinished`: read, decode, assemble. */
async function assembleStored(store: EventStore, conversationId: string): Promise<number> {
  const stored = await store.events(conversationId)
  const decoded = stored.map((e) => {
    const d = parseWebhookEvent(e.body)
    if (d._tag === 'Left') throw new Error(`bench: a stored event does not decode: ${d.left.message}`)
    return d.right
  })
  // With the keys the store returns, as exportFinished assembles.
  const assembled = assembleConversation(decoded, { keys: stored.map((e) => e.key) })
  if (assembled._tag === 'Left') throw new Error(`bench: does not assemble: ${assembled.left.message}`)
  return assembled.right.messages.length
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
  if (postgresUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 25 })
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version')
    list.push({
      name: `PostgreSQL ${rows[0]?.server_version ?? ''}, loopback`,
      open: (p) => postgresEventStore({ pool, tablePrefix: p }),
      close: async () => {
        await dropBenchTables(pool, `bench_${process.pid}_`)
        await pool.end()
      },
    })
  }
  return list
}

/** Drops every table whose name starts with `prefix` (a bench run's own tables). */
export async function dropBenchTables(db: pg.Pool | pg.Client, prefix: string): Promise<void> {
  const { rows } = await db.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND starts_with(tablename, $1)`,
    [prefix],
  )
  for (const { tablename } of rows) await db.query(`DROP TABLE "${tablename}"`)
}

/** Node, the CPU as /proc/cpuinfo names it, cores and the load average: what the figures depend on. */
export function machineLine(): string {
  let cpu = cpus()[0]?.model ?? 'unknown CPU'
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu
  } catch {
    // not Linux: os.cpus() names it
  }
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  return `Node ${process.version}, ${cpu} × ${cpus().length}, load average ${load}`
}

const whole = (x: number) => Math.round(x).toLocaleString('en-US')

/** (a) appends, re-deliveries, assemblies and claims per second, per store and concurrency. */
async function storeRates(quick: boolean): Promise<void> {
  const n = quick ? 400 : 2_000
  console.log(
    `### appends, re-deliveries, assembly, claims (${n} events = ${n / EVENTS_PER_CONVERSATION} conversations of ${EVENTS_PER_CONVERSATION} events; ${machineLine()})\n`,
  )
  console.log(
    'Wall-clock throughput. *appends/s*: `append(storedEventOf(event, bytes))` of distinct real events (0.2–1.3 kB bodies from `webhookConversation()`), each one statement (event row + conversation row). *re-deliveries/s*: the same events appended again (nothing changes). *assembled events/s*: per conversation `events(id)`, `parseWebhookEvent` of each stored body and `assembleConversation`, counted in events. *claims + exports/s*: `claimFinished({ limit: 1 })` then `markExported` per closed conversation. PostgreSQL over loopback (fsync on); PGlite is one connection in this process, so 20 concurrent callers queue.' +
      (postgresUrl === undefined ? ` ${POSTGRES_SKIPPED}\n` : '\n'),
  )
  // The CPU part of assembling, without a store: what the store's `events()` adds shows beside it.
  const alone = Array.from({ length: 50 }, (_, c) =>
    scaleConversationEvents(`alone-${c}`, c).map((e) => encoder.encode(JSON.stringify(e))),
  )
  const decodeAndAssemble = (bodies: readonly Uint8Array[]) =>
    assembleConversation(
      bodies.map((body) => {
        const d = parseWebhookEvent(body)
        if (d._tag === 'Left') throw new Error(d.left.message)
        return d.right
      }),
    )
  for (const bodies of alone) decodeAndAssemble(bodies) // warm-up
  const rounds = quick ? 4 : 20
  const aloneStart = performance.now()
  for (let r = 0; r < rounds; r++) for (const bodies of alone) decodeAndAssemble(bodies)
  const aloneRate =
    ((rounds * alone.length * EVENTS_PER_CONVERSATION) / (performance.now() - aloneStart)) * 1000
  console.log(
    `Decode + assemble alone (the same conversations' bodies in memory, no store): ${whole(aloneRate)} events/s.\n`,
  )
  console.log(
    '| store | concurrency | appends/s | re-deliveries/s | assembled events/s | claims + exports/s |',
  )
  console.log('|---|---:|---:|---:|---:|---:|')
  let run = 0
  for (const subject of await subjects()) {
    // Warm up (JIT, the driver, the database's caches) on throwaway tables.
    const warm = subject.open(`bench_${process.pid}_warm_`)
    const warmBatch = storedEvents(200, 0)
    await rate(warmBatch.length, 4, (i) => warm.append(warmBatch[i] as NewStoredEvent))
    await rate(10, 2, (i) => assembleStored(warm, `bench-0-${i}`))
    await warm.close()
    for (const concurrency of [1, 20]) {
      run++
      const store = subject.open(`bench_${process.pid}_${run}_`)
      await store.migrate()
      const batch = storedEvents(n, run)
      const appends = await rate(n, concurrency, (i) => store.append(batch[i] as NewStoredEvent))
      const redeliveries = await rate(n, concurrency, (i) => store.append(batch[i] as NewStoredEvent))
      const ids = [...new Set(batch.map((e) => e.conversationId as string))]
      const assembledConversations = await rate(ids.length, concurrency, async (i) => {
        const messages = await assembleStored(store, ids[i] as string)
        if (messages !== MESSAGES_PER_CONVERSATION) {
          throw new Error(`bench: assembled ${messages} messages, expected ${MESSAGES_PER_CONVERSATION}`)
        }
      })
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
      console.log(
        `| ${subject.name} | ${concurrency} | ${whole(appends)} | ${whole(redeliveries)} | ${whole(assembledConversations * EVENTS_PER_CONVERSATION)} | ${whole(claims)} |`,
      )
      await store.close()
    }
    await subject.close()
  }
  console.log('')
}

interface ReceiverMessage {
  readonly type: string
  readonly pid?: number
  readonly id?: string
  readonly port?: number
  readonly messageCount?: number
}

/** Starts one receiver process (the e2e test's), resolving with its port once it listens. */
function startReceiver(
  tablePrefix: string,
  secret: string,
  settleMs: number,
  onMessage: (m: ReceiverMessage) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(
    fileURLToPath(new URL('../test/store/support/receiver-process.ts', import.meta.url)),
    [],
    {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        RECEIVER_SECRET: secret,
        RECEIVER_TABLE_PREFIX: tablePrefix,
        RECEIVER_SETTLE_MS: String(settleMs),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`bench: a receiver exited with ${code} before it was ready`)),
    )
    child.on('message', (m: ReceiverMessage) => {
      if (m.type === 'ready') resolve({ child, port: m.port ?? 0 })
      else onMessage(m)
    })
  })
}

async function stopReceiver(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send({ type: 'stop' })
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(kill)
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

/** (b) receiver processes sharing one PostgreSQL under 200 concurrent deliveries. */
async function receiverRun(quick: boolean): Promise<void> {
  const conversations = quick ? 30 : 100
  const concurrency = 200
  // Longer than the longest pause in one conversation's deliveries here (all shuffled over the
  // whole run), so each is exported with every event, as in the e2e test; see the last column.
  const settleMs = 4000
  const secret = 'bench-secret'
  console.log(
    `### receiver processes sharing one PostgreSQL (${conversations} conversations × ${EVENTS_PER_CONVERSATION} events, ${concurrency} concurrent deliveries; ${machineLine()})\n`,
  )
  if (postgresUrl === undefined) {
    console.log(`${POSTGRES_SKIPPED}\n`)
    return
  }
  console.log(
    `Each receiver is its own Node process (node:http, \`createSmartsuppWebhookListener\` with \`store: postgresEventStore\`, a pool of 10, settleMs ${settleMs}, sweepIntervalMs 200, \`onConversationFinished\` renders the transcript and reports over IPC). Every event signed, 15 % re-delivered, all shuffled (closing events often arrive first), each delivery to a random process, ${concurrency} in flight, re-sent on any non-200. *deliveries/s*: until every delivery was answered 200; *latency*: one delivery's answer (the event stored, exports it triggered awaited up to exportWaitMs); *all exported*: from the first delivery until the last \`onConversationFinished\`, which includes the ${settleMs} ms settle period after each conversation's last event. Each run checks exactly one export per conversation; *with every message*: exports whose conversation had all its messages (one exported before a late event arrived would lack it: the settle period was shorter than a pause in its deliveries).\n`,
  )
  console.log(
    '| receivers | deliveries | deliveries/s | latency p50 / p99 (ms) | re-sent (non-200) | all answered (s) | all exported (s) | exports per process | with every message |',
  )
  console.log('|---:|---:|---:|---:|---:|---:|---:|---|---:|')

  const rand = random(20261129)
  const deliveries: { body: string; signature: string }[] = []
  for (let n = 0; n < conversations; n++) {
    for (const event of scaleConversationEvents(`bench-recv-${n}`, n)) {
      const body = JSON.stringify(event)
      const signed = { body, signature: await signWebhookBody(body, secret) }
      deliveries.push(signed)
      if (rand() < 0.15) deliveries.push(signed)
    }
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[deliveries[i], deliveries[j]] = [
      deliveries[j] as (typeof deliveries)[number],
      deliveries[i] as (typeof deliveries)[number],
    ]
  }

  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  try {
    for (const processes of [1, 2]) {
      const tablePrefix = `bench_${process.pid}_recv${processes}_`
      const finished: ReceiverMessage[] = []
      const errors: ReceiverMessage[] = []
      const onMessage = (m: ReceiverMessage) => (m.type === 'finished' ? finished : errors).push(m)
      const receivers: { child: ChildProcess; port: number }[] = []
      try {
        // One after the other, so the first migrates the fresh tables (the store copes either way).
        for (let p = 0; p < processes; p++)
          receivers.push(await startReceiver(tablePrefix, secret, settleMs, onMessage))
        const latencies: number[] = []
        let resent = 0
        let next = 0
        const pick = random(processes)
        const deliver = async (d: (typeof deliveries)[number]) => {
          const port = (receivers[Math.floor(pick() * receivers.length)] as { port: number }).port
          for (let attempt = 1; ; attempt++) {
            const start = performance.now()
            try {
              const res = await fetch(`http://127.0.0.1:${port}/`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: d.signature },
                body: d.body,
              })
              await res.arrayBuffer()
              if (res.status === 200) {
                latencies.push(performance.now() - start)
                return
              }
            } catch {
              // refused or reset: re-sent, as Smartsupp does
            }
            resent++
            if (attempt >= 20) throw new Error('bench: a delivery was never answered 200')
            await new Promise((r) => setTimeout(r, 50 * attempt))
          }
        }
        const start = performance.now()
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < deliveries.length) await deliver(deliveries[next++] as (typeof deliveries)[number])
          }),
        )
        const answeredMs = performance.now() - start
        const deadline = Date.now() + settleMs + 60_000
        while (finished.length < conversations && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20))
        const exportedMs = performance.now() - start
        // Past another settle period and a few sweeps: a second export of any conversation would show.
        await new Promise((r) => setTimeout(r, settleMs + 500))
        const ids = new Set(finished.map((f) => f.id))
        if (errors.length > 0)
          throw new Error(`bench: receivers reported errors: ${JSON.stringify(errors.slice(0, 3))}`)
        if (finished.length !== conversations || ids.size !== conversations) {
          throw new Error(
            `bench: ${finished.length} exports of ${ids.size} conversations, expected ${conversations} once each`,
          )
        }
        const complete = finished.filter((f) => f.messageCount === MESSAGES_PER_CONVERSATION).length
        latencies.sort((a, b) => a - b)
        const perProcess = receivers
          .map((r) => finished.filter((f) => f.pid === r.child.pid).length)
          .join(' / ')
        console.log(
          `| ${processes} | ${deliveries.length} | ${whole((deliveries.length / answeredMs) * 1000)} | ${percentile(latencies, 0.5).toFixed(0)} / ${percentile(latencies, 0.99).toFixed(0)} | ${resent} | ${(answeredMs / 1000).toFixed(2)} | ${(exportedMs / 1000).toFixed(2)} | ${perProcess} | ${complete} of ${conversations} |`,
        )
      } finally {
        await Promise.all(receivers.map((r) => stopReceiver(r.child)))
        await dropBenchTables(admin, tablePrefix)
      }
    }
  } finally {
    await admin.end()
  }
  console.log('')
}

export async function storeSection(options: { quick: boolean }): Promise<void> {
  console.log('## event store: scale figures (bench/store.ts)\n')
  await storeRates(options.quick)
  await receiverRun(options.quick)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await storeSection({ quick: process.argv.includes('--quick') })
}
