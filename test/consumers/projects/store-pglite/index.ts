// A webhook receiver that keeps every event in an embedded PostgreSQL (PGlite on a directory), as
// an ESM TypeScript app (module nodenext) writes it: Express, smartsuppWebhook with a store and
// onConversationFinished. One conversation's signed events are posted over real HTTP in a
// shuffled order with one re-delivery; onConversationFinished must get the whole conversation,
// once. Then the store is closed and its directory opened again: the conversation is exported.
// tsconfig has skipLibCheck, as `tsc --init` writes it: @electric-sql/pglite's own .d.ts files
// name Emscripten types it does not depend on (without skipLibCheck: npm i -D @types/emscripten,
// and add "emscripten" to compilerOptions.types when that is set).
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import { type AssembledConversation, type Conversation, signWebhookBody, transcript } from 'smartsupp-hook'
import { smartsuppWebhook } from 'smartsupp-hook/express'
import type { FinishedContext } from 'smartsupp-hook/store'
import { pgliteEventStore } from 'smartsupp-hook/store/pglite'
import { webhookConversation } from 'smartsupp-hook/testing'

const SECRET = 'consumer-webhook-secret'
const CONVERSATION = 'conv-store-1'

/** Only an assembled conversation has `closedBy`; the union narrows on `source`. */
function closedBy(c: Conversation): string {
  // @ts-expect-error a PostHookConversation has no closedBy: narrow on source first
  void c.closedBy
  return c.source === 'webhooks' ? (c.closedBy ?? 'nobody') : `post hook (${typeof c.raw})`
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function main(): Promise<void> {
  const events = webhookConversation({ id: CONVERSATION })
    .opened()
    .contactReplied('Hello, is the blue jacket in stock in size M?')
    .agentAssigned('11')
    .agentJoined({ id: '11', name: 'Petr' })
    .agentReplied({ id: '11', name: 'Petr' }, 'Yes, size M is in stock.')
    .contactReplied('Great, thank you!')
    .rated(5, 'Quick and friendly')
    .closed()
    .build()
  const closing = events.at(-1)
  if (closing?.event !== 'conversation.closed') throw new Error('the last event is not the close')
  // With settleMs 0 the conversation is exported as soon as its closing event is stored, so that
  // one goes last; everything before it is shuffled, with one event delivered twice.
  const before = events.slice(0, -1)
  const bodies = [...shuffle([...before, before[2]]), closing].map((event) => JSON.stringify(event))

  const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-store-pglite-'))
  const finished: { conversation: AssembledConversation; context: FinishedContext }[] = []
  const errors: unknown[] = []
  const store = pgliteEventStore({ dataDir })
  const app = express()
  app.use(
    '/webhooks/smartsupp',
    smartsuppWebhook({
      secret: SECRET,
      store,
      settleMs: 0,
      onConversationFinished: (conversation, context) => {
        const assembled: AssembledConversation = conversation
        finished.push({ conversation: assembled, context })
      },
      onError: (error) => void errors.push(error),
      onExportError: (error) => void errors.push(error),
    }),
  )
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/smartsupp`
  try {
    for (const body of bodies) {
      const signature = await signWebhookBody(body, SECRET)
      const res = await fetch(url, { method: 'POST', body, headers: { 'x-smartsupp-hmac': signature } })
      await res.text()
      if (res.status !== 200) throw new Error(`POST answered ${res.status}`)
    }
    await until('onConversationFinished', () => finished.length > 0 || errors.length > 0)
    if (errors.length > 0) throw errors[0]
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await store.close()
  }

  const [first] = finished
  if (finished.length !== 1 || first === undefined)
    throw new Error(`onConversationFinished ran ${finished.length} times`)
  const c = first.conversation
  if (c.id !== CONVERSATION) throw new Error(`assembled conversation ${c.id}`)
  if (c.source !== 'webhooks') throw new Error(`source ${c.source}`)
  if (closedBy(c) !== 'agent') throw new Error(`closed by ${closedBy(c)}`)
  const kinds = c.messages.map((m) => m.kind).join(',')
  if (kinds !== 'visitor,system,system,agent,visitor,system') throw new Error(`messages: ${kinds}`)
  const lines = transcript(c).split('\n')
  if (lines.length !== c.messages.length) throw new Error(`transcript:\n${lines.join('\n')}`)
  if (!lines[3]?.endsWith('Petr: Yes, size M is in stock.'))
    throw new Error(`transcript:\n${lines.join('\n')}`)
  if (c.rating?.value !== 5) throw new Error(`rating ${JSON.stringify(c.rating)}`)
  if (first.context.storedEvents.length !== events.length)
    throw new Error(`${first.context.storedEvents.length} stored events, expected ${events.length}`)

  // The directory keeps it: a new store on it says the conversation was exported.
  const reopened = pgliteEventStore({ dataDir })
  try {
    const listed = await reopened.conversations()
    const row = listed[0]
    if (listed.length !== 1 || row?.conversationId !== CONVERSATION || row.state !== 'exported')
      throw new Error(`reopened: ${JSON.stringify(listed)}`)
    console.log(
      `store-pglite: ${bodies.length} events posted (shuffled, 1 re-delivery) → onConversationFinished once: conversation ${c.id}, ${c.messages.length} messages, ${lines.length} transcript lines; reopened: ${row.state}, ${row.eventCount} events`,
    )
  } finally {
    await reopened.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
