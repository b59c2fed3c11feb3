import { createSmartsuppWebhookListener } from 'smartsupp-hook/node'
import { listen } from './support/listen.js'
import { describeWebhookReceiver } from './support/webhook-contract.js'

describeWebhookReceiver('node:http', async (options) => listen(createSmartsuppWebhookListener(options)))
