// A webhook receiver process on a PGlite directory, as the README's store example runs one:
// node:http + createSmartsuppWebhookListener + pgliteEventStore({ dataDir }), with
// `closeOnSignals(store, { server })` unless CLOSE_ON_SIGNALS=0. It takes the directory at start
// (store.migrate()) unless LAZY=1, and tells its parent over IPC `ready` (its port, and `locked`
// with the error when another process holds the directory), then `error` for each onError.
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from '../../../src/adapters/node-webhook-listener.js'
import { closeOnSignals } from '../../../src/store/close-on-signals.js'
import { pgliteEventStore } from '../../../src/store/pglite-event-store.js'

const dataDir = process.env.DATA_DIR
const secret = process.env.SECRET
if (dataDir === undefined || secret === undefined || process.send === undefined) {
  throw new Error('pglite-receiver: fork it with IPC and set DATA_DIR and SECRET')
}
const send = process.send.bind(process)

const store = pgliteEventStore({ dataDir })
let locked: string | null = null
if (process.env.LAZY !== '1') {
  try {
    await store.migrate()
  } catch (e) {
    locked = `${(e as Error).name}: ${(e as Error).message}`
  }
}

const server = createServer(
  createSmartsuppWebhookListener({
    secret,
    store,
    onError: (error) =>
      send({ type: 'error', error: `${(error as Error).name}: ${(error as Error).message}` }),
  }),
)
if (process.env.CLOSE_ON_SIGNALS !== '0') closeOnSignals(store, { server, graceMs: 5_000 })
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  send({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0, locked })
})
// The IPC channel must not keep the process alive on its own, as nothing would in production; a
// test runner that died leaves no receiver running.
process.channel?.unref()
process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'))
