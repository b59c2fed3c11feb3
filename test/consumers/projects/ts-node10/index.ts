// Every entry of the package under node10 resolution ("module": "commonjs", the NestJS <= 10
// starter and most Express TypeScript apps): each import must type-check (no TS2307), with no
// esModuleInterop and no skipLibCheck, and load. TypeScript 5 only: 6 deprecates node10, 7 removed it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Conversation, WebhookEvent } from 'smartsupp-hook'
import { decodeConversation, signWebhookBody } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'
import { createSmartsuppFetchHandler } from 'smartsupp-hook/fetch'
import * as nest from 'smartsupp-hook/nest'
import { createSmartsuppListener, createSmartsuppWebhookListener } from 'smartsupp-hook/node'
import { memoryEventStore } from 'smartsupp-hook/store'
import { pgliteEventStore } from 'smartsupp-hook/store/pglite'
import { postgresEventStore } from 'smartsupp-hook/store/postgres'
import { conversation, postConversation, webhookFixtures } from 'smartsupp-hook/testing'
import { conversationPayload } from 'smartsupp-hook/testing/arbitraries'

const loaded: unknown[] = [
  decodeConversation,
  smartsuppHook,
  createSmartsuppFetchHandler,
  Object.keys(nest).length > 0 ? nest : undefined,
  createSmartsuppListener,
  postConversation,
  conversationPayload,
  memoryEventStore,
  pgliteEventStore,
  postgresEventStore,
]
const built = decodeConversation(conversation({ id: 7 }).visitor('Hello').build())
const id: Conversation['id'] | null = built._tag === 'Right' ? built.right.id : null
if (loaded.some((entry) => entry === undefined) || id !== '7') throw new Error('an entry did not load')

// A signed webhook, received by the node:http listener over real HTTP.
async function receiveWebhook(): Promise<string> {
  const secret = 'consumer-webhook-secret'
  const events: WebhookEvent[] = []
  const server = createServer(
    createSmartsuppWebhookListener({ secret, onEvent: (event) => void events.push(event) }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const body = JSON.stringify(webhookFixtures['conversation.opened']())
  const { port } = server.address() as AddressInfo
  const headers = { 'x-smartsupp-hmac': await signWebhookBody(body, secret) }
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers })
  server.close()
  if (res.status !== 200 || events.length !== 1) throw new Error(`webhook ${res.status}`)
  return events[0]?.event ?? ''
}

receiveWebhook().then(
  (name) => console.log(`ts-node10: ${loaded.length} entries typed and loaded; webhook ${name} received`),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
