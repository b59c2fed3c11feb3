// Smartsupp's POST hook on plain node:http, no framework. Run: npm run example:node-http
import { createServer } from 'node:http'
import { createSmartsuppListener } from 'smartsupp-hook/node'

const token = process.env.SMARTSUPP_HOOK_TOKEN ?? 'change-me-to-a-long-random-secret'

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
  console.log(`listening on http://127.0.0.1:${port}/hooks/smartsupp?token=${token}`)
})
process.on('SIGTERM', () => server.close())
process.on('SIGINT', () => server.close())
