// The store option through the Fetch handler (test/adapters/support/store-receiver-contract.ts).
import { createSmartsuppWebhookFetchHandler } from 'smartsupp-hook/fetch'
import { listen } from './support/listen.js'
import { serveFetch } from './support/serve-fetch.js'
import { describeStoreReceiver } from './support/store-receiver-contract.js'

describeStoreReceiver('Fetch, createSmartsuppWebhookFetchHandler', async (options) =>
  listen(serveFetch(createSmartsuppWebhookFetchHandler(options))),
)
