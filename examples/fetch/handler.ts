// A Fetch API handler (Request in, Response out), with no Node-specific code: the same module
// serves Next.js (`export const POST = handler` in app/api/smartsupp/route.ts), Hono
// (`app.post('/hooks/smartsupp', (c) => handler(c.req.raw))`), Bun (`Bun.serve({ fetch: handler })`),
// Deno (`Deno.serve(handler)`) and Cloudflare Workers (`export default { fetch: handler }`).
import { createSmartsuppFetchHandler } from 'smartsupp-hook/fetch'

/** Builds the handler; `token` is the secret in the hook URL (`?token=` or a path segment). */
export function createHandler(token: string): (request: Request) => Promise<Response> {
  return createSmartsuppFetchHandler({
    token,
    onConversation: (c) =>
      console.log(`conversation ${c.id}: ${c.messages.length} messages, visitor ${c.visitor?.name}`),
    onInvalid: (failure, rawBody) =>
      console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`),
  })
}
