// One webhook receiver process for the end-to-end tests: node:http + the webhook listener on a
// shared PostgreSQL store. It reports to its parent over IPC: `ready` with its port, then one
// `finished` message per onConversationFinished call.
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from '../../../src/adapters/node-webhook-listener.js'
import { transcript } from '../../../src/helpers/transcript.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'

const url = process.env.SMARTSUPP_TEST_POSTGRES_URL
const secret = process.env.RECEIVER_SECRET
const tablePrefix = process.env.RECEIVER_TABLE_PREFIX
if (url === undefined || secret === undefined || tablePrefix === undefined || process.send === undefined) {
  throw new Error(
    'receiver-process: set SMARTSUPP_TEST_POSTGRES_URL, RECEIVER_SECRET, RECEIVER_TABLE_PREFIX, and fork it with IPC',
  )
}
const send = process.send.bind(process)

const store = await postgresEventStore({ connectionString: url, tablePrefix })
await store.migrate()

const listener = createSmartsuppWebhookListener({
  secret,
  store,
  settleMs: Number(process.env.RECEIVER_SETTLE_MS ?? 1000),
  sweepIntervalMs: 200,
  onConversationFinished: (conversation, context) => {
    send({
      type: 'finished',
      pid: process.pid,
      id: conversation.id,
      attempt: context.attempt,
      reason: context.reason,
      messageCount: conversation.messages.length,
      transcript: transcript(conversation, { format: 'text' }),
    })
  },
  onError: (error) => send({ type: 'error', pid: process.pid, error: String(error) }),
  onExportError: (error, conversationId) =>
    send({ type: 'error', pid: process.pid, conversationId, error: String(error) }),
})

const server = createServer(listener)
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  send({
    type: 'ready',
    pid: process.pid,
    port: typeof address === 'object' && address !== null ? address.port : 0,
  })
})

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') {
    server.close()
    void store.close().finally(() => process.exit(0))
  }
})
