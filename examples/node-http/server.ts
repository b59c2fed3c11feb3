// Smartsupp's POST hook on plain node:http, no framework. Run: npm run example:node-http
import { createServer } from 'node:http'
import { createSmartsuppListener } from 'smartsupp-hook/node'

/** The secret in the hook URL: SMARTSUPP_HOOK_TOKEN, else a random one for this run (never printed). */
const token = process.env.SMARTSUPP_HOOK_TOKEN || crypto.randomUUID()
if (!process.env.SMARTSUPP_HOOK_TOKEN)
  console.log(
    'SMARTSUPP_HOOK_TOKEN is not set, so this run uses a random token; set it: SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run example:node-http',
  )

const server = createServer(
  createSmartsuppListener({
    token, // accepted as ?token=… or as a path segment
    onConversation: (c) =>
      console.log(`conversation ${c.id}: ${c.messages.length} messages, visitor ${c.visitor?.name}`),
    onInvalid: (failure, rawBody) =>
      console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`),
  }),
)

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  console.log(`listening on http://127.0.0.1:${port}/hooks/smartsupp?token=<SMARTSUPP_HOOK_TOKEN>`)
})
process.on('SIGTERM', () => server.close())
process.on('SIGINT', () => server.close())
