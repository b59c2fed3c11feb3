// A webhook receiver process for the takeover test (test/store/takeover.test.ts): node:http + the
// webhook listener on a shared PostgreSQL store, settleMs 0, a short lease and sweep. It tells its
// parent over IPC `ready` (its port), `started` when onConversationFinished is called and
// `finished` when it returns. With TAKEOVER_HANG=1 the callback never returns (the parent kills
// the process mid-export).
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from '../../../src/adapters/node-webhook-listener.js'
import { transcript } from '../../../src/helpers/transcript.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'

const env = process.env
if (
  process.send === undefined ||
  env.TAKEOVER_PREFIX === undefined ||
  env.SMARTSUPP_TEST_POSTGRES_URL === undefined
) {
  throw new Error(
    'takeover-receiver: fork it with IPC and set SMARTSUPP_TEST_POSTGRES_URL and TAKEOVER_PREFIX',
  )
}
const send = process.send.bind(process)
const store = postgresEventStore({
  connectionString: env.SMARTSUPP_TEST_POSTGRES_URL,
  tablePrefix: env.TAKEOVER_PREFIX,
})
await store.migrate()

const hang = env.TAKEOVER_HANG === '1'
const listener = createSmartsuppWebhookListener({
  secret: env.TAKEOVER_SECRET as string,
  store,
  settleMs: 0,
  quietMs: null,
  leaseMs: Number(env.TAKEOVER_LEASE_MS),
  sweepIntervalMs: Number(env.TAKEOVER_SWEEP_MS),
  exportTimeoutMs: 120_000,
  owner: `${env.TAKEOVER_NAME}:${process.pid}`,
  onConversationFinished: async (conversation, context) => {
    const facts = { id: conversation.id, revision: context.revision, attempt: context.attempt }
    send({ type: 'started', ...facts, owner: context.claim.owner })
    if (hang) await new Promise(() => {})
    send({ type: 'finished', ...facts, transcript: transcript(conversation, { format: 'text' }) })
  },
  onError: (error) => send({ type: 'error', error: String(error) }),
  onExportError: (error, conversationId) =>
    send({ type: 'exportError', conversationId, error: String(error) }),
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
    void store.close().finally(() => process.exit(0))
  }
})
