// The "Receiving webhooks: node:http" example of docs/webhooks.md, exactly as written there (webhooks-readme.test.ts checks it).
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from 'smartsupp-hook/node'

const listener = createSmartsuppWebhookListener({
  // While rotating, both secrets verify; once the old one is unset it is dropped. No secret at
  // all is a TypeError at start-up.
  secret: [process.env.SMARTSUPP_WEBHOOK_SECRET, process.env.SMARTSUPP_WEBHOOK_SECRET_OLD].filter(
    (secret): secret is string => secret !== undefined && secret !== '',
  ),
  onEvent: async (event) => {
    console.log(event.event, event.known ? 'known' : 'unknown')
  },
})
export const server = createServer(listener).listen(Number(process.env.PORT ?? 3000))
