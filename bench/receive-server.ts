// One server of the end-to-end run of `npm run bench:receive`, in its own process (forked with IPC):
// `library` is node:http + createSmartsuppWebhookListener on postgresEventStore (a pool of 10) with
// onConversationFinished; `bare` is the least a receiver can do over the same database: node:http,
// read the body, node:crypto HMAC, JSON.parse, one INSERT … ON CONFLICT DO NOTHING (a pool of 10).
// It sends `ready` with its port, answers `count` with how many conversations it exported (and how
// many exports were of one already exported), and
// exits on `stop`.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type RequestListener } from 'node:http'
import pg from 'pg'
import { createSmartsuppWebhookListener } from '../src/adapters/node-webhook-listener.js'
import { transcript } from '../src/helpers/transcript.js'
import { postgresEventStore } from '../src/store/postgres-event-store.js'

const mode = process.argv[2]
const url = process.env.BENCH_DATABASE_URL
const secret = process.env.BENCH_SECRET
const prefix = process.env.BENCH_PREFIX
if ((mode !== 'library' && mode !== 'bare') || !url || !secret || !prefix || process.send === undefined) {
  throw new Error('receive-server: fork with library|bare, BENCH_DATABASE_URL, BENCH_SECRET, BENCH_PREFIX')
}
const send = process.send.bind(process)
const POOL_SIZE = 10
const exported = new Set<string>()
let exportedAgain = 0
let transcriptChars = 0
let close: () => Promise<void>
let listener: RequestListener

if (mode === 'library') {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE })
  const store = postgresEventStore({ pool, tablePrefix: prefix })
  await store.migrate()
  listener = createSmartsuppWebhookListener({
    secret,
    store,
    settleMs: Number(process.env.BENCH_SETTLE_MS ?? 1000),
    onConversationFinished: (conversation) => {
      // Real work for the export: the text a CRM would get.
      transcriptChars += transcript(conversation, { format: 'text' }).length
      if (exported.has(conversation.id)) exportedAgain++
      exported.add(conversation.id)
    },
    onError: (error) => send({ type: 'error', error: String(error) }),
    onExportError: (error) => send({ type: 'error', error: String(error) }),
  })
  close = () => pool.end()
} else {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE })
  pool.on('error', () => undefined)
  const table = `${prefix}bare_events`
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${table} (key text PRIMARY KEY, conversation_id text, event text, body bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
  )
  const key = Buffer.from(secret)
  listener = (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const header = req.headers['x-smartsupp-hmac']
      const digest = createHmac('sha256', key).update(body).digest()
      const given = typeof header === 'string' ? Buffer.from(header, 'hex') : Buffer.alloc(0)
      if (given.length !== digest.length || !timingSafeEqual(given, digest)) {
        res.writeHead(401).end()
        return
      }
      let event: { event?: unknown; data?: { conversation?: { id?: unknown } } }
      try {
        event = JSON.parse(body.toString('utf8'))
      } catch {
        res.writeHead(400).end()
        return
      }
      pool
        .query(
          `INSERT INTO ${table} (key, conversation_id, event, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [digest.toString('hex'), String(event.data?.conversation?.id), String(event.event), body],
        )
        .then(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
          () => res.writeHead(500).end(),
        )
    })
  }
  close = () => pool.end()
}

const server = createServer(listener)
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  send({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 })
})

process.on('message', (message: { type?: string }) => {
  if (message.type === 'count')
    send({ type: 'count', exported: exported.size, exportedAgain, transcriptChars })
  if (message.type === 'stop') {
    server.close()
    void close().finally(() => process.exit(0))
  }
})
