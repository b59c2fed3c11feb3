// Runs the Fetch handler on Node for local trying-out (Bun, Deno and Workers call it directly).
// Run: npm run example:fetch
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { createHandler } from './handler.js'

/** The secret in the hook URL: SMARTSUPP_HOOK_TOKEN, else a random one for this run (never printed). */
const token = process.env.SMARTSUPP_HOOK_TOKEN || crypto.randomUUID()
if (!process.env.SMARTSUPP_HOOK_TOKEN)
  console.log(
    'SMARTSUPP_HOOK_TOKEN is not set, so this run uses a random token; set it: SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run example:fetch',
  )
const handler = createHandler(token)

// The few lines a Node adapter (Hono's @hono/node-server, Next.js) does for you: node → Request → node.
const server = createServer(async (req, res) => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers }
  if (hasBody) {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>
    init.duplex = 'half'
  }
  const response = await handler(new Request(`http://127.0.0.1${req.url ?? '/'}`, init))
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    res.setHeader(name, value)
  })
  res.end(Buffer.from(await response.arrayBuffer()))
})

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  console.log(`listening on http://127.0.0.1:${port}/hooks/smartsupp/<SMARTSUPP_HOOK_TOKEN>`)
})
process.on('SIGTERM', () => server.close())
process.on('SIGINT', () => server.close())
