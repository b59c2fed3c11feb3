// A webhook receiver process for the crash tests (test/store/receiver-crash.test.ts): node:http +
// createSmartsuppWebhookListener on a PGlite data directory or a PostgreSQL server. It tells its
// parent over IPC `ready` (its port) and `appended` (an append committed: key, inserted). With
// CRASH_HANG_AFTER_APPEND=1 its onEvent never resolves, so an event is stored and never answered:
// the parent kills it there. With CRASH_REPORT_BATCHES=1 it tells `batch` (its size) as each batch
// of appends goes to the database. `stop` closes the store and exits.
import { createServer } from 'node:http'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { createSmartsuppWebhookListener } from '../../../src/adapters/node-webhook-listener.js'
import type { EventStore } from '../../../src/store/event-store.js'
import { pgliteEventStore } from '../../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { preparedBatches } from './prepared-batches.js'

const kind = process.env.CRASH_STORE
const secret = process.env.CRASH_SECRET
if (process.send === undefined || secret === undefined || (kind !== 'pglite' && kind !== 'postgres')) {
  throw new Error('crash-receiver: fork it with IPC and set CRASH_STORE (pglite|postgres) and CRASH_SECRET')
}
const send = process.send.bind(process)

// CRASH_REPORT_BATCHES=1: `batch` (how many events) as each batch of appends is sent to the database.
const reportBatches = process.env.CRASH_REPORT_BATCHES === '1'
/** The events of an append batch statement (its parameters come 10 to an event), else 0; `query(sql, params)` or `query({ text, values })`. */
const sizeOf = (first: unknown, second: unknown) => {
  const config =
    typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown }) : null
  const sql = config === null ? first : config.text
  const params = config === null ? second : config.values
  return typeof sql === 'string' && sql.includes('/* smartsupp-hook append batch */') && Array.isArray(params)
    ? params.length / 10
    : 0
}
if (reportBatches && kind === 'pglite') {
  const query = PGlite.prototype.query
  PGlite.prototype.query = function (this: PGlite, ...args: Parameters<PGlite['query']>) {
    const size = sizeOf(args[0], args[1])
    if (size > 0) send({ type: 'batch', size })
    return query.apply(this, args)
  } as PGlite['query']
  // Batches run as prepared statements, bound in protocol messages.
  const execProtocol = PGlite.prototype.execProtocol
  PGlite.prototype.execProtocol = function (this: PGlite, ...args: Parameters<PGlite['execProtocol']>) {
    for (const batch of preparedBatches(args[0])) send({ type: 'batch', size: batch.params.length / 10 })
    return execProtocol.apply(this, args)
  } as PGlite['execProtocol']
}
const pool =
  kind === 'postgres'
    ? new pg.Pool({ connectionString: process.env.SMARTSUPP_TEST_POSTGRES_URL as string })
    : null
if (reportBatches && pool !== null) {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
  pool.query = ((...args: unknown[]) => {
    const size = sizeOf(args[0], args[1])
    if (size > 0) send({ type: 'batch', size })
    return query(...args)
  }) as typeof pool.query
}

const inner: EventStore =
  pool === null
    ? pgliteEventStore({ dataDir: process.env.CRASH_DATA_DIR as string })
    : postgresEventStore({ pool, tablePrefix: process.env.CRASH_TABLE_PREFIX as string })
await inner.migrate()

const store: EventStore = {
  ...inner,
  async append(event) {
    const outcome = await inner.append(event)
    send({ type: 'appended', key: event.key, inserted: outcome.inserted })
    return outcome
  },
}

const hang = process.env.CRASH_HANG_AFTER_APPEND === '1'
const listener = createSmartsuppWebhookListener({
  secret,
  store,
  timeoutMs: 60_000,
  ...(hang ? { onEvent: () => new Promise<never>(() => {}) } : {}),
  onError: (error) => send({ type: 'error', error: String(error) }),
})

const server = createServer(listener)
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  send({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 })
})

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') {
    server.closeAllConnections()
    server.close()
    void inner
      .close()
      .then(() => pool?.end())
      .finally(() => process.exit(0))
  }
})
