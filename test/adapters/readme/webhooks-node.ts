// The README's "Receiving webhooks: node:http" example, exactly as written there (webhooks-readme.test.ts checks it).
import { createServer } from 'node:http'
import { createSmartsuppWebhookListener } from 'smartsupp-hook/node'

const listener = createSmartsuppWebhookListener({
  // While rotating, both secrets verify; an unset one is a TypeError at start-up.
  secret: [process.env.SMARTSUPP_WEBHOOK_SECRET ?? '', process.env.SMARTSUPP_WEBHOOK_SECRET_OLD ?? ''],
  onEvent: async (event) => {
    console.log(event.event, event.known ? 'known' : 'unknown')
  },
})
export const server = createServer(listener).listen(Number(process.env.PORT ?? 3000))
