import { createSmartsuppWebhookFetchHandler, handleSmartsuppWebhook } from 'smartsupp-hook/fetch'
import { listen } from './support/listen.js'
import { serveFetch } from './support/serve-fetch.js'
import { describeWebhookReceiver } from './support/webhook-contract.js'

describeWebhookReceiver(
  'Fetch (createSmartsuppWebhookFetchHandler)',
  async (options) => listen(serveFetch(createSmartsuppWebhookFetchHandler(options))),
  { ownsConnection: false },
)

describeWebhookReceiver(
  'Fetch (handleSmartsuppWebhook)',
  async (options) => listen(serveFetch((request) => handleSmartsuppWebhook(request, options))),
  { ownsConnection: false },
)
