// `npm run bench:receive` (issue 18): what receiving a webhook costs, each part beside the bare
// floor it is built on, measured in one run. Ratios, never timed tests. Prints Markdown.
//   1. verifyWebhookSignature ÷ node:crypto HMAC (createHmac + timingSafeEqual) at 300 B, 1 KB, 10 KB.
//   2. webhookEventKey ÷ the decode of the same event (and a digest of the exact bytes, the
//      alternative key, for comparison).
//   3. assembleConversation µs per event at 20 to 20 000 events, with and without the store's keys,
//      ÷ the decode of the same events, and its growth per event.
//   4. appends ÷ a bare single-row INSERT … ON CONFLICT and a bare multi-row one (20 rows per
//      statement) at 1, 20 and 200 callers, on PostgreSQL (pools of 10) and PGlite.
//   5. a claim with nothing due at 50, 5 000 and 500 000 unexported conversations (PostgreSQL).
//   6. end to end over HTTP: the library's receiver (node:http, PostgreSQL store, export with
//      onConversationFinished) ÷ a bare server (node:http, HMAC, JSON.parse, one INSERT) under 200
//      concurrent deliveries of ~1 KB events, 20 per conversation; rounds interleaved, medians.
// The load average is printed with each section: other work on the machine moves the absolute
// figures, less so the ratios of interleaved rounds. PostgreSQL from BENCH_POSTGRES_URL (else
// SMARTSUPP_TEST_POSTGRES_URL); its sections are skipped without one. Each run uses its own tables
// (a fresh prefix, dropped afterwards). `-- --quick` for a short run; `-- --only=1,3` for some
// sections; `-- --profile=<dir>` writes a CPU profile of each end-to-end server into <dir>.
import { type ChildProcess, fork } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { assembleConversation } from '../src/assemble/assemble-conversation.js'
import { fnv1a64 } from '../src/helpers/fnv1a64.js'
import {
  parseWebhookEvent,
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
  type WebhookEventPayload,
  webhookEventKey,
} from '../src/index.js'
import type { EventStore, NewStoredEvent } from '../src/store/index.js'
import { storedEventOf } from '../src/store/index.js'
import { pgliteEventStore } from '../src/store/pglite-event-store.js'
import { postgresEventStore } from '../src/store/postgres-event-store.js'
import { webhookConversation } from '../src/testing/index.js'
import { scaleConversationEvents } from '../test/store/support/scale-conversation.js'
import { measure, measureAsync } from './measure.js'
import { dropBenchTables, machineLine } from './store.js'

const quick = process.argv.includes('--quick')
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .map(Number)
const runs = (section: number) => only === undefined || only.includes(section)
const profileDir = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length)
const postgresUrl = process.env.BENCH_POSTGRES_URL || process.env.SMARTSUPP_TEST_POSTGRES_URL || undefined
const NO_POSTGRES =
  'No PostgreSQL: set BENCH_POSTGRES_URL (or SMARTSUPP_TEST_POSTGRES_URL) to a database of your own.'
const encoder = new TextEncoder()
const SECRET = 'bench-receive-secret'
const POOL_SIZE = 10

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const us = (ns: number) => (ns / 1000).toFixed(2)
const ratio = (x: number) => `${x.toFixed(2)}×`
const whole = (x: number) => Math.round(x).toLocaleString('en-US')
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

function decodeOrThrow(body: string | Uint8Array): WebhookEvent {
  const result = parseWebhookEvent(body)
  if (result._tag === 'Left') throw new Error(`bench: an event does not decode: ${result.left.message}`)
  return result.right
}

/**
 * Conversation `n` of the end-to-end run and the appends: 19 `conversation.contact_replied` events
 * of about 1 KB, then `conversation.closed` (so each conversation is exported).
 */
function replyConversation(id: string, n: number): WebhookEventPayload[] {
  let b = webhookConversation({ id, visitorId: `vis-${n}`, startAt: Date.UTC(2026, 11, 1, 9) + n * 60_000 })
  for (let i = 0; i < 19; i++) b = b.contactReplied(`Message ${i + 1} about order ${n}: where is my parcel?`)
  return b.closed({ by: { id: '7', name: 'Petr' } }).build()
}

/** A contact_replied event whose JSON is about `bytes` long (its message text padded). */
function eventOfSize(bytes: number): string {
  const base = JSON.stringify(replyConversation('size', 0)[0])
  const text = 'x'.repeat(Math.max(1, bytes - base.length + 20))
  const [first] = webhookConversation({ id: 'size' }).contactReplied(text).build()
  return JSON.stringify(first)
}

// 1. Verify ---------------------------------------------------------------------------------------

async function verifySection(): Promise<void> {
  const rounds = quick ? 7 : 21
  console.log(
    `## 1. verifyWebhookSignature ÷ node:crypto HMAC (median CPU per awaited call, ${rounds} interleaved rounds; ${machineLine()})\n`,
  )
  console.log(
    '*node:crypto*: what a bare server does per request: `timingSafeEqual(createHmac(sha256, secret).update(body).digest(), Buffer.from(header, "hex"))`. *Web Crypto*: `crypto.subtle.sign` with an imported key (what `verifyWebhookSignature` used before, and still uses where `process.getBuiltinModule` is absent). All awaited, one call after another.\n',
  )
  console.log('| body | bytes | verifyWebhookSignature | node:crypto | ratio | Web Crypto sign |')
  console.log('|---|---:|---:|---:|---:|---:|')
  const key = Buffer.from(SECRET)
  const webKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  let verdict = Number.NaN
  for (const [name, text] of [
    ['conversation.message_delivered', JSON.stringify(scaleConversationEvents('v', 1)[6])],
    ['conversation.contact_replied', eventOfSize(1024)],
    ['conversation.contact_replied, long text', eventOfSize(10_240)],
  ] as const) {
    const body = encoder.encode(text)
    const header = await signWebhookBody(body, SECRET)
    const [ours, bare, web] = (
      await measureAsync(
        [
          {
            name: 'ours',
            run: async () => {
              if (!(await verifyWebhookSignature(body, header, SECRET)).valid)
                throw new Error('bench: invalid')
            },
          },
          {
            name: 'node:crypto',
            run: async () => {
              const digest = createHmac('sha256', key).update(body).digest()
              const given = Buffer.from(header, 'hex')
              if (given.length !== digest.length || !timingSafeEqual(digest, given))
                throw new Error('bench: invalid')
            },
          },
          { name: 'web', run: () => crypto.subtle.sign('HMAC', webKey, body) },
        ],
        { rounds, sampleMs: 20, warmupMs: 200 },
      )
    ).map((t) => t.cpuNs) as [number, number, number]
    if (name === 'conversation.contact_replied') verdict = ours / bare
    console.log(
      `| ${name} | ${body.length} | ${us(ours)} µs | ${us(bare)} µs | ${ratio(ours / bare)} | ${us(web)} µs |`,
    )
  }
  console.log(`\nTarget ≤ 1.5× at 1 KB: ${ratio(verdict)}, ${verdict <= 1.5 ? 'met' : 'not met'}.\n`)
}

// 2. Keys -----------------------------------------------------------------------------------------

async function keySection(): Promise<void> {
  const rounds = quick ? 7 : 21
  console.log(
    `## 2. webhookEventKey ÷ decoding the same event (median CPU per call, ${rounds} interleaved rounds; load average ${load()})\n`,
  )
  console.log(
    '*decode*: `parseWebhookEvent(bytes)`; *key*: `webhookEventKey(event)` (FNV-1a 64 of the canonical JSON, hashed while walking the event); *digest of the bytes*: FNV-1a 64 of the body as received, the key that would not survive a re-delivery whose JSON differs in key order or spacing. Each contender cycles through 64 different events, so no timestamp or key order is served from a cache.\n',
  )
  console.log('| events | bytes (mean) | decode | key | key ÷ decode | digest of the bytes |')
  console.log('|---|---:|---:|---:|---:|---:|')
  const sets: [string, string[]][] = [
    [
      '`conversation.contact_replied`, ~1 KB',
      Array.from({ length: 64 }, (_, n) => JSON.stringify(replyConversation(`k-${n}`, n)[3])),
    ],
    [
      'the 20-event mix of bench/store.ts (replies, joins, deliveries, rating, close)',
      Array.from({ length: 64 }, (_, n) => JSON.stringify(scaleConversationEvents(`m-${n >> 2}`, n)[n % 20])),
    ],
  ]
  let verdict = Number.NaN
  for (const [name, texts] of sets) {
    const bytes = texts.map((t) => encoder.encode(t))
    const events = bytes.map(decodeOrThrow)
    let i = 0
    let j = 0
    let k = 0
    const [decode, key, digest] = measure(
      [
        { name: 'decode', run: () => parseWebhookEvent(bytes[i++ & 63] as Uint8Array) },
        { name: 'key', run: () => webhookEventKey(events[j++ & 63] as WebhookEvent) },
        { name: 'digest', run: () => fnv1a64(texts[k++ & 63] as string) },
      ],
      '',
      { rounds, sampleMs: 20, warmupMs: 600 },
    ).map((t) => t.cpuNs) as [number, number, number]
    if (Number.isNaN(verdict)) verdict = key / decode
    const mean = Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length)
    console.log(
      `| ${name} | ${mean} | ${us(decode)} µs | ${us(key)} µs | ${ratio(key / decode)} | ${us(digest)} µs |`,
    )
  }
  console.log(
    `\nTarget ~1× the decode of the same (~1 KB) event: ${ratio(verdict)}, ${verdict <= 1.1 ? 'met' : 'not met'}.\n`,
  )
}

// 3. Assembly -------------------------------------------------------------------------------------

/** A conversation of `n` events: opened, an agent joins, replies back and forth, rated, closed. */
function longConversation(id: string, n: number): WebhookEventPayload[] {
  const agent = { id: '7', name: 'Petr' }
  let b = webhookConversation({ id }).opened().agentJoined(agent)
  for (let i = 0; i < n - 4; i++)
    b =
      i % 2 === 0
        ? b.contactReplied(`question ${i} about the order`, { after: 1000 })
        : b.agentReplied(agent, `answer ${i}`, { after: 1000 })
  return b.rated(5, 'ok').closed({ by: agent }).build()
}

async function assemblySection(): Promise<void> {
  const big = quick ? 2000 : 20_000
  // Conversations of n events, cycling through `copies` of them. The last case has as many events
  // in memory as the largest conversation (20-event conversations, big / 20 of them), so growth
  // can be read both ways: with the small ones hot in the CPU's caches, and with as much memory
  // touched as for the large one.
  const cases: { n: number; copies: number; label: string }[] = [
    { n: 20, copies: 32, label: '20' },
    { n: 200, copies: 8, label: '200' },
    { n: 2000, copies: 1, label: '2,000' },
    ...(quick ? [] : [{ n: 20_000, copies: 1, label: '20,000' }]),
    {
      n: 20,
      copies: big / 20,
      label: `20 (${whole(big / 20)} conversations: ${whole(big)} events in memory)`,
    },
  ]
  console.log(
    `## 3. assembleConversation per event ÷ decoding the same events (median CPU, interleaved rounds; load average ${load()})\n`,
  )
  console.log(
    `*decode*: \`parseWebhookEvent\` of each event's bytes. *assemble*: \`assembleConversation(events)\`, which computes each event's key. *with the store's keys*: \`assembleConversation(events, { keys })\`, as the store's export calls it (the keys it returns, \`StoredEvent.key\`). Conversations of 20 and 200 events cycle through 32 and 8 different ones (all in the CPU's caches); the larger ones are one conversation; the last row cycles through ${whole(big / 20)} conversations of 20 events, as many events in memory as the largest conversation. Calls run back to back in batches of at least 3 (no forced GC between them).\n`,
  )
  console.log(
    '| events per conversation | decode µs/event | assemble µs/event | ÷ decode | with the store’s keys µs/event | ÷ decode |',
  )
  console.log('|---|---:|---:|---:|---:|---:|')
  const rows: { n: number; copies: number; decode: number; plain: number; keyed: number }[] = []
  for (const { n, copies, label } of cases) {
    const template = JSON.stringify(longConversation(`a-${n}-0`, n))
    const sets = Array.from({ length: copies }, (_, c) => {
      // Copies of one conversation under other ids: other keys, the same work.
      const wire = JSON.parse(template.replaceAll(`a-${n}-0`, `a-${n}-${c}`)) as unknown[]
      const bodies = wire.map((e) => encoder.encode(JSON.stringify(e)))
      const events = bodies.map(decodeOrThrow)
      return { bodies, events, keys: events.map(webhookEventKey) }
    })
    let i = 0
    let j = 0
    let k = 0
    const expected = (assembleConversation(sets[0]?.events ?? []) as { right?: { messages: unknown[] } })
      .right?.messages.length
    const check = (result: ReturnType<typeof assembleConversation>) => {
      if (result._tag === 'Left' || result.right.messages.length !== expected)
        throw new Error('bench: assembly gave another conversation')
      return result
    }
    const [decode, plain, keyed] = measure(
      [
        { name: 'decode', run: () => (sets[i++ % copies]?.bodies ?? []).map(decodeOrThrow) },
        { name: 'assemble', run: () => check(assembleConversation(sets[j++ % copies]?.events ?? [])) },
        {
          name: 'keyed',
          run: () => {
            const s = sets[k++ % copies]
            return check(assembleConversation(s?.events ?? [], { keys: s?.keys ?? [] }))
          },
        },
      ],
      '',
      { rounds: n >= 20_000 ? 5 : quick ? 5 : 11, sampleMs: 50, warmupMs: 300, minBatch: 3 },
    ).map((t) => t.cpuNs / n / 1000) as [number, number, number]
    rows.push({ n, copies, decode, plain, keyed })
    console.log(
      `| ${label} | ${decode.toFixed(2)} | ${plain.toFixed(2)} | ${ratio(plain / decode)} | ${keyed.toFixed(2)} | ${ratio(keyed / decode)} |`,
    )
  }
  const hot = rows[0] as (typeof rows)[number]
  const cold = rows[rows.length - 1] as (typeof rows)[number]
  const largest = rows[rows.length - 2] as (typeof rows)[number]
  const growth = (from: (typeof rows)[number]) =>
    `assembly ${ratio(largest.plain / from.plain)}, with the keys ${ratio(largest.keyed / from.keyed)}, decode itself ${ratio(largest.decode / from.decode)}`
  console.log(
    `\nAt 20 events: assembly ${ratio(hot.plain / hot.decode)} the decode (computing keys), ${ratio(hot.keyed / hot.decode)} with the store's keys; target ≤ 1.3×: ${hot.keyed / hot.decode <= 1.3 ? 'met' : 'not met'} with the keys, ${hot.plain / hot.decode <= 1.3 ? 'met' : 'not met'} computing them. Growth per event to ${whole(largest.n)} events per conversation (target ≤ 1.3×): from 20-event conversations in the caches, ${growth(hot)}; from 20-event conversations with as many events in memory, ${growth(cold)}.\n`,
  )
}

// 4. Appends --------------------------------------------------------------------------------------

/** Runs `work(i)` for i in 0 … n-1 with `concurrency` in flight; returns items per second. */
async function rate(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await work(next++)
    }),
  )
  return (n / (performance.now() - start)) * 1000
}

/** What a bare server keeps per event: the key, the conversation, the name and the bytes. */
interface BareRow {
  readonly key: string
  readonly conversationId: string
  readonly event: string
  readonly body: Uint8Array
}

interface SqlTarget {
  readonly name: string
  query(sql: string, params?: unknown[]): Promise<unknown>
  store(prefix: string): EventStore
  close(): Promise<void>
}

/**
 * The bare PGlite inserts send their bodies through Node's native hex codec, as the store does
 * (PGlite's own goes byte by byte in JavaScript and costs more than the rest of a 1 KB insert): the
 * ratio then measures group commit, not the codec.
 */
const NATIVE_BYTEA = {
  serializers: {
    17: (value: unknown) => {
      const bytes = value as Uint8Array
      return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
    },
  },
}

async function sqlTargets(): Promise<SqlTarget[]> {
  const memory = await PGlite.create()
  const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-bench-receive-'))
  const onDisk = await PGlite.create({ dataDir })
  const targets: SqlTarget[] = [
    {
      name: 'PGlite, in memory',
      query: (sql, params) => memory.query(sql, params, NATIVE_BYTEA),
      store: (prefix) => pgliteEventStore({ db: memory, tablePrefix: prefix }),
      close: () => memory.close(),
    },
    {
      name: 'PGlite, data directory',
      query: (sql, params) => onDisk.query(sql, params, NATIVE_BYTEA),
      store: (prefix) => pgliteEventStore({ db: onDisk, tablePrefix: prefix }),
      close: async () => {
        await onDisk.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    },
  ]
  if (postgresUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: postgresUrl, max: POOL_SIZE })
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version')
    targets.push({
      name: `PostgreSQL ${rows[0]?.server_version ?? ''}, loopback, a pool of ${POOL_SIZE}`,
      query: (sql, params) => pool.query(sql, params),
      store: (prefix) => postgresEventStore({ pool, tablePrefix: prefix }),
      close: async () => undefined,
    })
    targets.push({
      name: `PostgreSQL ${rows[0]?.server_version ?? ''}, preparedStatements: false`,
      query: (sql, params) => pool.query(sql, params),
      store: (prefix) => postgresEventStore({ pool, tablePrefix: prefix, preparedStatements: false }),
      close: async () => {
        await dropBenchTables(pool, `bench_${process.pid}_`)
        await pool.end()
      },
    })
  }
  return targets
}

let batchNumber = 0

/** `count` fresh events (whole conversations of 20) as the receiver stores them, and as bare rows. */
function freshEvents(count: number): { stored: NewStoredEvent[]; bare: BareRow[] } {
  const stored: NewStoredEvent[] = []
  const bare: BareRow[] = []
  const batch = batchNumber++
  const conversations = Array.from({ length: Math.ceil(count / 20) }, (_, c) =>
    replyConversation(`ap-${process.pid}-${batch}-${c}`, c),
  )
  // Conversations side by side (the k-th event of each, then the next), as deliveries arrive.
  for (let k = 0; k < 20; k++) {
    for (const events of conversations) {
      const text = JSON.stringify(events[k])
      const bytes = encoder.encode(text)
      const s = storedEventOf(decodeOrThrow(bytes), bytes)
      stored.push(s)
      bare.push({
        key: createHmac('sha256', SECRET).update(bytes).digest('hex'),
        conversationId: s.conversationId ?? '',
        event: s.event ?? '',
        body: bytes,
      })
    }
  }
  return { stored: stored.slice(0, count), bare: bare.slice(0, count) }
}

const MULTI_ROWS = 20

async function appendSection(): Promise<void> {
  const n = quick ? 600 : 2000
  const rounds = quick ? 2 : 3
  console.log(
    `## 4. appends ÷ bare inserts (events per second, median of ${rounds} interleaved rounds of ${n} events; ${machineLine()})\n`,
  )
  console.log(
    `*append*: \`store.append(storedEventOf(event, bytes))\` of ~1 KB contact_replied events, 20 per conversation, the conversations side by side (group commit: the appends in flight together go in one statement, a multi-row insert of their events and one upsert of their conversations, and one commit; PGlite writes one batch at a time, PostgreSQL up to half its pool). *bare single-row*: \`INSERT INTO … (key, conversation_id, event, body) VALUES (…) ON CONFLICT DO NOTHING\`, one row per statement. *bare multi-row*: the same with ${MULTI_ROWS} rows per statement (the ceiling of writing rows; each caller writes ${MULTI_ROWS} events at a time). *callers*: statements in flight. PostgreSQL with its default fsync and synchronous_commit; PGlite is one connection in this process, so callers queue; its bare inserts send their bodies through Node's native hex codec, as the store does (PGlite's own, byte by byte in JavaScript, costs more than the rest of a 1 KB insert).` +
      (postgresUrl === undefined ? ` ${NO_POSTGRES}\n` : '\n'),
  )
  console.log(
    '| store | callers | append | bare single-row | bare multi-row | append ÷ single-row | append ÷ multi-row |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  let table = 0
  const verdicts: string[] = []
  for (const target of await sqlTargets()) {
    // Warm-up: the JIT, the driver, the database's caches.
    const warm = target.store(`bench_${process.pid}_warm_`)
    await warm.migrate()
    const warmEvents = freshEvents(200)
    await rate(200, 10, (i) => warm.append(warmEvents.stored[i] as NewStoredEvent))
    for (const callers of [1, 20, 200]) {
      const results: { append: number[]; single: number[]; multi: number[] } = {
        append: [],
        single: [],
        multi: [],
      }
      for (let round = 0; round < rounds; round++) {
        const prefix = `bench_${process.pid}_a${table++}_`
        const store = target.store(prefix)
        await store.migrate()
        const bareTable = `${prefix}bare`
        await target.query(
          `CREATE TABLE ${bareTable} (key text PRIMARY KEY, conversation_id text, event text, body bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
        )
        const appendEvents = freshEvents(n).stored
        const singleRows = freshEvents(n).bare
        const multiRows = freshEvents(n).bare
        const contenders: [keyof typeof results, () => Promise<number>][] = [
          ['append', () => rate(n, callers, (i) => store.append(appendEvents[i] as NewStoredEvent))],
          [
            'single',
            () =>
              rate(n, callers, (i) => {
                const r = singleRows[i] as BareRow
                return target.query(
                  `INSERT INTO ${bareTable} (key, conversation_id, event, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
                  [r.key, r.conversationId, r.event, r.body],
                )
              }),
          ],
          [
            'multi',
            async () => {
              const statements = Math.ceil(n / MULTI_ROWS)
              const perSecond = await rate(statements, callers, (s) => {
                const rows = multiRows.slice(s * MULTI_ROWS, (s + 1) * MULTI_ROWS)
                const values = rows.map(
                  (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`,
                )
                return target.query(
                  `INSERT INTO ${bareTable} (key, conversation_id, event, body) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
                  rows.flatMap((r) => [r.key, r.conversationId, r.event, r.body]),
                )
              })
              return (perSecond * n) / statements
            },
          ],
        ]
        for (let k = 0; k < contenders.length; k++) {
          const [name, run] = contenders[(k + round) % contenders.length] as (typeof contenders)[number]
          results[name].push(await run())
        }
        await store.close()
      }
      const append = median(results.append)
      const single = median(results.single)
      const multi = median(results.multi)
      console.log(
        `| ${target.name} | ${callers} | ${whole(append)} | ${whole(single)} | ${whole(multi)} | ${ratio(append / single)} | ${ratio(append / multi)} |`,
      )
      if (callers > 1) {
        verdicts.push(
          `${target.name.split(',')[0]}${target.name.includes('directory') ? ' (directory)' : target.name.includes('memory') ? ' (memory)' : ''} at ${callers}: ${ratio(append / single)} ${append / single >= 1.5 ? 'met' : 'not met'}`,
        )
      }
    }
    await warm.close()
    await target.close()
  }
  console.log(
    `\nTarget (group commit, issue 18 item 2): append ≥ 1.5× the single-row insert at 20 and 200 callers: ${verdicts.join('; ')}.\n`,
  )
}

// 5. Claims ---------------------------------------------------------------------------------------

async function claimSection(): Promise<void> {
  const sizes = quick ? [50, 5_000, 50_000] : [50, 5_000, 500_000]
  console.log(
    `## 5. claimFinished with nothing due, by unexported conversations (PostgreSQL; load average ${load()})\n`,
  )
  if (postgresUrl === undefined) {
    console.log(`${NO_POSTGRES}\n`)
    return
  }
  console.log(
    'Each conversation gets one small event through `store.append` (so the store fills its tables its own way), none closed and all received just now, so none is due: `claimFinished({ quietMs: 30 min, settleMs: 30 s, limit: 10 })` finds nothing. *ms per claim*: the median of 40 calls one after another (wall time of the round trip, the database’s work included).\n',
  )
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 20 })
  const prefix = `bench_${process.pid}_claims_`
  const store = postgresEventStore({ pool, tablePrefix: prefix })
  await store.migrate()
  console.log('| unexported conversations | ms per claim (median) | p90 | ÷ at 50 |')
  console.log('|---:|---:|---:|---:|')
  let stored = 0
  let atFifty = Number.NaN
  let atLargest = Number.NaN
  try {
    for (const size of sizes) {
      const start = stored
      await rate(size - start, 40, async (i) => {
        const id = `claim-${start + i}`
        await store.append({
          key: `bench-claim:${id}`,
          conversationId: id,
          accountId: '1',
          event: 'conversation.contact_replied',
          occurredAt: new Date(),
          closes: false,
          body: encoder.encode(`{"n":${start + i}}`),
          poisoned: null,
        })
      })
      stored = size
      await pool.query(`ANALYZE ${prefix}conversations`)
      const times: number[] = []
      for (let i = 0; i < 45; i++) {
        const t = performance.now()
        const claims = await store.claimFinished({
          owner: 'bench',
          leaseMs: 60_000,
          quietMs: 30 * 60_000,
          settleMs: 30_000,
          limit: 10,
        })
        if (claims.length > 0) throw new Error('bench: a claim found something due')
        if (i >= 5) times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      const ms = median(times)
      if (size === 50) atFifty = ms
      atLargest = ms
      console.log(
        `| ${whole(size)} | ${ms.toFixed(2)} | ${percentile(times, 0.9).toFixed(2)} | ${ratio(ms / atFifty)} |`,
      )
    }
  } finally {
    await store.close()
    await dropBenchTables(pool, prefix)
    await pool.end()
  }
  console.log(
    `\nTarget (due-time claims, issue 18 item 1): flat within 2× from 50 to ${whole(sizes.at(-1) ?? 0)}: ${ratio(atLargest / atFifty)}, ${atLargest / atFifty <= 2 ? 'met' : 'not met'}.\n`,
  )
}

// 6. End to end -----------------------------------------------------------------------------------

interface ServerMessage {
  readonly type: string
  readonly port?: number
  readonly exported?: number
  readonly exportedAgain?: number
  readonly error?: string
}

function startServer(
  mode: 'library' | 'bare',
  prefix: string,
): Promise<{ child: ChildProcess; port: number; errors: string[] }> {
  const child = fork(fileURLToPath(new URL('./receive-server.ts', import.meta.url)), [mode], {
    // `--profile=<dir>`: a CPU profile of each server, written when it stops.
    execArgv: [
      '--import',
      'tsx',
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${mode}`]),
    ],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: postgresUrl,
      BENCH_SECRET: SECRET,
      BENCH_PREFIX: prefix,
      BENCH_SETTLE_MS: '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const errors: string[] = []
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench: the ${mode} server exited with ${code}`)))
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'ready') resolve({ child, port: m.port ?? 0, errors })
      if (m.type === 'error') errors.push(m.error ?? '')
    })
  })
}

function ask<T extends ServerMessage>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T) => {
      if (m.type !== type) return
      child.off('message', on)
      resolve(m)
    }
    child.on('message', on)
    child.send({ type })
  })
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  child.removeAllListeners('exit')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send({ type: 'stop' })
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(kill)
}

interface Delivery {
  readonly body: Buffer
  readonly signature: string
}

/** Sends every delivery to `port` with `concurrency` in flight (re-sent on any non-200, as Smartsupp does). */
async function deliverAll(
  port: number,
  deliveries: readonly Delivery[],
  concurrency: number,
): Promise<{ perSecond: number; p50: number; p99: number; resent: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  let resent = 0
  let next = 0
  const post = (d: Delivery) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': d.body.length,
            [WEBHOOK_SIGNATURE_HEADER]: d.signature,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', () => resolve(0))
      req.end(d.body)
    })
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++] as Delivery
        for (let attempt = 1; ; attempt++) {
          const t = performance.now()
          if ((await post(d)) === 200) {
            latencies.push(performance.now() - t)
            break
          }
          resent++
          if (attempt >= 20) throw new Error('bench: a delivery was never answered 200')
          await new Promise((r) => setTimeout(r, 20 * attempt))
        }
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {
    perSecond: deliveries.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    resent,
  }
}

let e2eRound = 0

/** `conversations` fresh conversations' deliveries (new ids every call), interleaved as they would arrive. */
function freshDeliveries(conversations: number): Delivery[] {
  const round = e2eRound++
  const perConversation = Array.from({ length: conversations }, (_, c) =>
    replyConversation(`e2e-${process.pid}-${round}-${c}`, c).map((e) => {
      const body = Buffer.from(JSON.stringify(e))
      return { body, signature: createHmac('sha256', SECRET).update(body).digest('hex') }
    }),
  )
  // Conversations run side by side: the k-th event of each, then the (k+1)-th…
  const out: Delivery[] = []
  for (let k = 0; k < 20; k++) for (const events of perConversation) out.push(events[k] as Delivery)
  return out
}

async function endToEndSection(): Promise<void> {
  const conversations = 200
  const concurrency = 200
  const rounds = quick ? 2 : 5
  console.log(
    `## 6. end to end over HTTP: library ÷ bare server (${conversations} conversations × 20 events per round, ${concurrency} concurrent deliveries, ${rounds} interleaved rounds; ${machineLine()})\n`,
  )
  if (postgresUrl === undefined) {
    console.log(`${NO_POSTGRES}\n`)
    return
  }
  console.log(
    `Each server is its own Node process on the same PostgreSQL (fsync and synchronous_commit as configured: on by default), each with a pool of ${POOL_SIZE}. *library*: node:http + \`createSmartsuppWebhookListener({ secret, store: postgresEventStore, settleMs: 1000, onConversationFinished })\` (the default sweep: when anything can be due, a delivery exports up to 2 due conversations after its answer, at most 10 at once; and every 5 s), the export rendering each conversation's transcript. *bare*: node:http, read the body, node:crypto HMAC + timingSafeEqual, \`JSON.parse\`, one \`INSERT … ON CONFLICT DO NOTHING\`. The load generator (this process, node:http with keep-alive, ${concurrency} in flight) sends ~1 KB \`conversation.contact_replied\` events, 19 per conversation and a closing one, the conversations side by side; every round sends new conversations; the two servers alternate which goes first. *deliveries/s*: until every delivery was answered 200 (any other answer is re-sent).\n`,
  )
  console.log('| round | load average | server | deliveries/s | p50 ms | p99 ms | re-sent |')
  console.log('|---:|---|---|---:|---:|---:|---:|')
  const prefix = `bench_${process.pid}_e2e_`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  const library = await startServer('library', prefix)
  const bare = await startServer('bare', prefix)
  type Round = { perSecond: number; p50: number; p99: number }
  const results: { library: Round[]; bare: Round[] } = { library: [], bare: [] }
  try {
    // Warm-up: the JIT of both servers and of the client.
    for (const server of [bare, library]) await deliverAll(server.port, freshDeliveries(100), concurrency)
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (['bare', 'library'] as const) : (['library', 'bare'] as const)
      for (const name of order) {
        const server = name === 'library' ? library : bare
        const deliveries = freshDeliveries(conversations)
        const r = await deliverAll(server.port, deliveries, concurrency)
        results[name].push(r)
        console.log(
          `| ${round} | ${load()} | ${name} | ${whole(r.perSecond)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.resent} |`,
        )
        // Let the library's exports of this round finish before the next round starts.
        if (name === 'library') await new Promise((r) => setTimeout(r, 3000))
      }
    }
    // The exports of the last rounds run on the library's sweep timer: give them time to finish.
    const sent = 100 + rounds * conversations
    let exported = 0
    let exportedAgain = 0
    const waitUntil = Date.now() + 120_000
    while (Date.now() < waitUntil) {
      const count = await ask<ServerMessage>(library.child, 'count')
      exported = count.exported ?? 0
      exportedAgain = count.exportedAgain ?? 0
      if (exported >= sent) break
      await new Promise((r) => setTimeout(r, 500))
    }
    if (library.errors.length > 0) throw new Error(`bench: the library reported ${library.errors[0]}`)
    const lib = {
      perSecond: median(results.library.map((r) => r.perSecond)),
      p50: median(results.library.map((r) => r.p50)),
      p99: median(results.library.map((r) => r.p99)),
    }
    const bar = {
      perSecond: median(results.bare.map((r) => r.perSecond)),
      p50: median(results.bare.map((r) => r.p50)),
      p99: median(results.bare.map((r) => r.p99)),
    }
    console.log(
      `\n**Medians**: library ${whole(lib.perSecond)} deliveries/s (p50 ${lib.p50.toFixed(0)} ms, p99 ${lib.p99.toFixed(0)} ms), bare ${whole(bar.perSecond)} deliveries/s (p50 ${bar.p50.toFixed(0)} ms, p99 ${bar.p99.toFixed(0)} ms): **${ratio(lib.perSecond / bar.perSecond)}** the deliveries/s, p99 ${ratio(lib.p99 / bar.p99)} the bare one's. The library exported ${exported} of the ${sent} conversations it was sent (waiting up to 2 minutes after the last round), ${exportedAgain} of them more than once. Target ≥ 0.8× and p99 ≤ 1.5×: deliveries/s ${lib.perSecond / bar.perSecond >= 0.8 ? 'met' : 'not met'}, p99 ${lib.p99 / bar.p99 <= 1.5 ? 'met' : 'not met'}.\n`,
    )
  } finally {
    await Promise.all([stopServer(library.child), stopServer(bare.child)])
    await dropBenchTables(admin, prefix)
    await admin.end()
  }
}

console.log(
  `# npm run bench:receive${quick ? ' -- --quick' : ''} (${new Date().toISOString().slice(0, 10)})\n`,
)
if (runs(1)) await verifySection()
if (runs(2)) await keySection()
if (runs(3)) await assemblySection()
if (runs(4)) await appendSection()
if (runs(5)) await claimSection()
if (runs(6)) await endToEndSection()
