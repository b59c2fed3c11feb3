// The store option through createSmartsuppWebhookListener (node:http), on every store, PostgreSQL
// included (test/adapters/support/store-receiver-contract.ts).
import { createSmartsuppWebhookListener } from 'smartsupp-hook/node'
import { listen } from './support/listen.js'
import { describeStoreReceiver } from './support/store-receiver-contract.js'

describeStoreReceiver(
  'node:http, createSmartsuppWebhookListener',
  async (options) => listen(createSmartsuppWebhookListener(options)),
  ['memory', 'pglite', 'postgres'],
)
