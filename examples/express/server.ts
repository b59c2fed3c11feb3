// Smartsupp's POST hook in an Express app. Run: npm run example:express
// Then point Smartsupp's hook at http://<your host>:3000/hooks/smartsupp/<SMARTSUPP_HOOK_TOKEN>.
import { pathToFileURL } from 'node:url'
import express, { type Express } from 'express'
import type { Conversation, DecodeFailure } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'

/** What the example does with each delivery; the defaults log it. */
export interface ExampleHandlers {
  onDecoded(conversation: Conversation): void | Promise<void>
  onDeadLetter(failure: DecodeFailure, rawBody: Uint8Array): void | Promise<void>
}

const logHandlers: ExampleHandlers = {
  onDecoded: (c) =>
    console.log(`conversation ${c.id}: ${c.messages.length} messages, visitor ${c.visitor?.name}`),
  // Keep the exact bytes somewhere safe (a table, a bucket) and replay them once fixed.
  onDeadLetter: (failure, rawBody) =>
    console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`),
}

/**
 * The example app: the hook mounted with app.use (so every other method gets 405, not Express's
 * 404) and before express.json(), so it reads the exact bytes itself.
 */
export function createExampleApp(token: string, handlers: ExampleHandlers = logHandlers): Express {
  const app = express()
  app.use(
    '/hooks/smartsupp',
    smartsuppHook({
      token,
      onConversation: (conversation) => handlers.onDecoded(conversation),
      onInvalid: (failure, rawBody) => handlers.onDeadLetter(failure, rawBody),
      // A callback threw (the answer is 500): the exact body is still in context.rawBody.
      onError: (error, context) =>
        console.error(`failed on a ${context.rawBody.length}-byte delivery`, error),
    }),
  )
  app.use(express.json()) // the rest of your app, with its body parsers, comes after the hook
  app.get('/', (_req, res) => {
    res.send('ok')
  })
  return app
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The secret in the hook URL: SMARTSUPP_HOOK_TOKEN, else a random one for this run (never printed).
  const token = process.env.SMARTSUPP_HOOK_TOKEN || crypto.randomUUID()
  if (!process.env.SMARTSUPP_HOOK_TOKEN)
    console.log(
      'SMARTSUPP_HOOK_TOKEN is not set, so this run uses a random token; set it: SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run example:express',
    )
  const server = createExampleApp(token).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    console.log(`listening on http://127.0.0.1:${port}/hooks/smartsupp/<SMARTSUPP_HOOK_TOKEN>`)
  })
  process.on('SIGTERM', () => server.close())
  process.on('SIGINT', () => server.close())
}
