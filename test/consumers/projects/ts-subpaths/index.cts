// Every subpath of the package, from a CommonJS module: type-checked by TypeScript 5.9, 6 and 7 under
// tsconfig.json as the docs write it (nodenext, "types": ["node", "emscripten"]), node16,
// commonjs, and skipLibCheck with no types; then run.
import type { Conversation, WebhookEvent } from 'smartsupp-hook'
import { decodeConversation, signWebhookBody } from 'smartsupp-hook'
import { smartsuppHook, smartsuppWebhook } from 'smartsupp-hook/express'
import { createSmartsuppFetchHandler } from 'smartsupp-hook/fetch'
import { SmartsuppHookModule, SmartsuppWebhookModule } from 'smartsupp-hook/nest'
import { createSmartsuppListener } from 'smartsupp-hook/node'
import { type EventStore, memoryEventStore } from 'smartsupp-hook/store'
import { type PgliteEventStoreOptions, pgliteEventStore } from 'smartsupp-hook/store/pglite'
import { type PostgresEventStoreOptions, postgresEventStore } from 'smartsupp-hook/store/postgres'
import { conversation, postConversation, postWebhookEvent, webhookFixtures } from 'smartsupp-hook/testing'
import { conversationPayload } from 'smartsupp-hook/testing/arbitraries'

const stores: EventStore[] = [memoryEventStore()]
const pglite: (options?: PgliteEventStoreOptions) => EventStore = pgliteEventStore
const postgres: (options?: PostgresEventStoreOptions) => EventStore = postgresEventStore
const decoded = decodeConversation(conversation({ id: 7 }).visitor('Hello').build())
const id: Conversation['id'] | null = decoded._tag === 'Right' ? decoded.right.id : null
const name: WebhookEvent['event'] = webhookFixtures['conversation.opened']().event

const loaded = [
  signWebhookBody,
  smartsuppHook,
  smartsuppWebhook,
  createSmartsuppFetchHandler,
  SmartsuppHookModule,
  SmartsuppWebhookModule,
  createSmartsuppListener,
  stores[0],
  pglite,
  postgres,
  postConversation,
  postWebhookEvent,
  conversationPayload,
]
if (loaded.some((entry) => entry === undefined) || id !== '7' || name !== 'conversation.opened') {
  throw new Error('an entry did not load')
}
console.log(`ts-subpaths (CommonJS): ${loaded.length} exports of 10 subpaths typed and loaded`)
// The ES module too, once this one ran (`main` is this file).
import('./index.mjs').catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
