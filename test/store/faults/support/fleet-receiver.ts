// One receiver process of the fault suite's fleet (test/store/faults/support/fleet.ts): node:http +
// createSmartsuppWebhookListener on a PGlite directory or a PostgreSQL server, configured by the
// JSON in FLEET_CONFIG (see ReceiverConfig). Its onConversationFinished is a CRM write that
// appends one line to its own file in the record directory (appendFileSync: on disk before the
// callback returns, so a SIGKILL right after loses nothing of it); export errors and delivery
// errors go there too. It tells its parent over IPC `ready` (its port), answers `state` with the
// store's conversations, and stops on `stop` (or a signal, with closeOnSignals).
import { appendFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { createSmartsuppWebhookListener } from '../../../../src/adapters/node-webhook-listener.js'
import type { WebhookEvent } from '../../../../src/model/webhook-event.js'
import type { ReceiveContext } from '../../../../src/receive/receive-context.js'
import { closeOnSignals } from '../../../../src/store/close-on-signals.js'
import type { EventStore } from '../../../../src/store/event-store.js'
import type { FinishedContext } from '../../../../src/store/export-finished.js'
import { pgliteEventStore } from '../../../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../../../src/store/postgres-event-store.js'
import { storedEventOf } from '../../../../src/store/stored-event-of.js'
import type { ExportRecord, ReceiverConfig } from './fleet-config.js'

const config = JSON.parse(process.env.FLEET_CONFIG ?? 'null') as ReceiverConfig | null
if (config === null || process.send === undefined) {
  throw new Error('fleet-receiver: fork it with IPC and FLEET_CONFIG (a ReceiverConfig as JSON)')
}
const send = process.send.bind(process)
const file = join(config.recordDir, `${config.name}-${process.pid}.jsonl`)
const record = (r: Omit<ExportRecord, 'name' | 'pid' | 'at'>) =>
  appendFileSync(file, `${JSON.stringify({ ...r, name: config.name, pid: process.pid, at: Date.now() })}\n`)

const store: EventStore =
  config.store.kind === 'pglite'
    ? pgliteEventStore({ dataDir: config.store.dataDir })
    : postgresEventStore({
        connectionString: config.store.url,
        tablePrefix: config.store.tablePrefix,
        ...(config.store.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: config.store.queryTimeoutMs }),
      })
let locked: string | null = null
try {
  await store.migrate()
} catch (e) {
  // A second opener of a PGlite directory: it still serves (500s) and takes over once free.
  locked = `${(e as Error).name}: ${(e as Error).message}`
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })

/** What this try of this conversation does, from the plan: its attempt's step, else the default. */
const stepOf = (realId: string, context: FinishedContext) =>
  config.callback.plan?.[realId]?.[context.attempt - 1] ?? 'ok'

const listener = createSmartsuppWebhookListener({
  secret: config.secret,
  store,
  ...config.receive,
  owner: `${config.name}:${process.pid}`,
  ...(config.recordEvents === true
    ? {
        onEvent: (event: WebhookEvent, context: ReceiveContext<IncomingMessage>) => {
          const stored = storedEventOf(event, context.rawBody)
          record({ type: 'event', storedId: stored.conversationId, key: stored.key })
        },
      }
    : {}),
  onConversationFinished: async (conversation, context) => {
    const facts = {
      id: conversation.id,
      storedId: context.claim.conversationId,
      revision: context.revision,
      attempt: context.attempt,
    }
    record({ type: 'start', ...facts })
    const step = stepOf(conversation.id, context)
    if (step === 'hang') await new Promise<never>(() => {})
    if (step === 'throw') throw new Error(`the CRM refused ${conversation.id}`)
    // A well-behaved CRM call stops when its signal aborts; 'late' ignores it and writes anyway.
    const delayMs = step === 'late' ? (config.callback.lateMs ?? 0) : (config.callback.delayMs ?? 0)
    if (delayMs > 0) await sleep(delayMs, step === 'late' ? undefined : context.signal)
    if (step !== 'late' && context.signal.aborted) {
      record({ type: 'abandoned', ...facts })
      context.signal.throwIfAborted()
    }
    record({
      type: 'write',
      ...facts,
      aborted: context.signal.aborted,
      keys: context.storedEvents.map((e) => e.key),
      messages: conversation.messages.length,
    })
    // Between the CRM write and the store's record of it: the documented second export.
    if (step === 'die') process.kill(process.pid, 'SIGKILL')
  },
  onError: (error) => record({ type: 'deliveryError', error: describe(error) }),
  onExportError: (error, conversationId) =>
    record({ type: 'exportError', storedId: conversationId, error: describe(error) }),
})

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

const server = createServer(listener)
if (config.closeOnSignals !== undefined) {
  closeOnSignals(store, {
    server,
    graceMs: config.closeOnSignals.graceMs,
    onError: (error) => record({ type: 'closeError', error: describe(error) }),
    onClosed: () => record({ type: 'closed' }),
  })
}
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  send({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0, locked })
})

process.on('message', (message: { type?: string; id?: number }) => {
  if (message.type === 'state') {
    store.conversations({ limit: 100_000 }).then(
      (conversations) => send({ type: 'state', id: message.id, conversations }),
      (error: unknown) => send({ type: 'state', id: message.id, error: describe(error) }),
    )
  } else if (message.type === 'stop') {
    server.closeAllConnections()
    server.close()
    void store.close().finally(() => process.exit(0))
  }
})
// A test runner that died leaves no receiver behind.
process.channel?.unref()
process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'))
