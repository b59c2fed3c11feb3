// The "Receiving webhooks: Express" example of docs/webhooks.md, exactly as written there (webhooks-readme.test.ts checks it).
import express from 'express'
import { webhookEventKey } from 'smartsupp-hook'
import { smartsuppWebhook } from 'smartsupp-hook/express'

const handled = new Set<string>() // in production: a table with a unique key
const app = express()
// Mount it BEFORE express.json(): the signature covers the exact bytes Smartsupp sent.
app.use(
  '/webhooks/smartsupp',
  smartsuppWebhook({
    secret: process.env.SMARTSUPP_WEBHOOK_SECRET ?? '', // unset → TypeError at start-up
    appId: 'ap40qUkYi', // optional: accept only your app's events (app_id)
    onEvent: async (event) => {
      const key = webhookEventKey(event)
      if (handled.has(key)) return // a re-delivery of an event already handled: answer 200 again
      if (event.known && event.event === 'conversation.closed') {
        console.log('closed', event.data.conversation?.id, event.data.closeType)
      }
      handled.add(key)
    },
    onInvalid: (failure, rawBody) => {
      console.error('undecodable webhook kept', rawBody.length, failure.message)
      return { status: 200 } // stored: stop the re-deliveries
    },
  }),
)
app.use(express.json()) // the rest of your app
export const server = app.listen(Number(process.env.PORT ?? 3000))
