// A webhook receiver process for the crash tests (test/store/receiver-crash.test.ts): node:http +
// createSmartsuppWebhookListener on a PGlite data directory or a PostgreSQL server. It tells its
// parent over IPC `ready` (its port) and `appended` (an append committed: key, inserted). With
// CRASH_HANG_AFTER_APPEND=1 its onEvent never resolves, so an event is stored and never answered:
// the parent kills it there. `stop` closes the store and exits.
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from '../../../src/adapters/node-webhook-listener.js'
import type { EventStore } from '../../../src/store/event-store.js'
import { pgliteEventStore } from '../../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'

const kind = process.env.CRASH_STORE
const secret = process.env.CRASH_SECRET
if (process.send === undefined || secret === undefined || (kind !== 'pglite' && kind !== 'postgres')) {
  throw new Error('crash-receiver: fork it with IPC and set CRASH_STORE (pglite|postgres) and CRASH_SECRET')
}
const send = process.send.bind(process)

const inner: EventStore =
  kind === 'pglite'
    ? pgliteEventStore({ dataDir: process.env.CRASH_DATA_DIR as string })
    : postgresEventStore({
        connectionString: process.env.SMARTSUPP_TEST_POSTGRES_URL as string,
        tablePrefix: process.env.CRASH_TABLE_PREFIX as string,
      })
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
    void inner.close().finally(() => process.exit(0))
  }
})
