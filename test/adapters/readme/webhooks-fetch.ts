// The "Receiving webhooks: Fetch" example of docs/webhooks.md, exactly as written there (webhooks-readme.test.ts checks it).
import { createSmartsuppWebhookFetchHandler } from 'smartsupp-hook/fetch'

const handler = createSmartsuppWebhookFetchHandler({
  secret: process.env.SMARTSUPP_WEBHOOK_SECRET ?? '', // unset → TypeError at start-up
  onEvent: async (event, { receivedAt }) => {
    console.log(event.event, receivedAt.toISOString())
  },
})
export const POST = handler // Next.js app/webhooks/smartsupp/route.ts
export default { fetch: handler } // Cloudflare Workers; Bun.serve({ fetch: handler }); Deno.serve(handler)
