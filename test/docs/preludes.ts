// Hidden preludes and epilogues of the documentation's code blocks (see test/docs/blocks.ts).
//
// A prelude declares what a block uses but does not define: the reader's own code (`save`, `crm`,
// `db`), an app the snippet continues (`app`), a test runner's `expect`. It is put before the
// block, which the docs show as written. A block imports everything it uses from a package itself;
// preludes never stand in for an import the reader would have to write. Names a prelude needs for
// itself are imported under a `Docs…` alias, so they never clash with the block's own imports.
//
// An epilogue runs a block that starts something (a server, a Nest app): it is put after the
// block, talks to what the block started over real HTTP, and exits 0 only when that worked. The
// consumer test sets PORT (a free port), SMARTSUPP_HOOK_TOKEN and SMARTSUPP_WEBHOOK_SECRET.

/** Prelude name → TypeScript source. */
export const preludes: Record<string, string> = {
  // The reader's storage: the POST hook examples.
  save: `declare function save(conversation: import('smartsupp-hook').Conversation): Promise<void>`,
  keepDeadLetter: `declare function keepDeadLetter(rawBody: Uint8Array, why: unknown): Promise<void>`,
  keep: `declare function keep(...what: unknown[]): Promise<void>`,
  report: `declare function report(error: unknown): void`,
  token: `declare const token: string`,
  // The Fetch example's environment binding (Cloudflare Workers' \`env\`).
  env: `declare const env: { readonly SMARTSUPP_HOOK_TOKEN: string }`,
  // A conversation the snippet works on.
  conversation: `declare const conversation: import('smartsupp-hook').Conversation`,
  // A parsed JSON value, and a request body as text.
  json: `declare const json: unknown`,
  body: `declare const body: string`,
  // "Working with a conversation": the handler's storage and CRM.
  'db-crm': `interface Db {
  saveDeadLetter(body: Uint8Array, reason: string): Promise<void>
  claim(key: string): Promise<boolean>
}
interface Crm {
  createCallbackTask(email: string | null): Promise<void>
  logAgentActivity(agentId: string, messageCount: number): Promise<void>
  addNote(note: { fields: object; body: string }): Promise<void>
}`,
  // The store example's CRM.
  crm: `declare const crm: { save(fields: object, transcript: string): Promise<void> }`,
  // Apps a snippet continues.
  'express-app': `declare const app: import('express').Express`,
  'express-app-as-expressApp': `declare const expressApp: import('express').Express`,
  'fetch-app': `declare const app: { fetch(request: Request): Promise<Response> }`,
  'hono-app': `declare const app: {
  post(path: string, handler: (c: { req: { raw: Request } }) => Response | Promise<Response>): void
}`,
  'listener-options': `declare const options: import('smartsupp-hook/node').SmartsuppListenerOptions`,
  // A test runner's expect (Jest or Vitest), as far as the snippets use it.
  expect: `declare function expect(actual: unknown): { toBe(expected: unknown): void }`,
  // The model's named types the "model" sketch refers to.
  'model-types': `import type {
  ConversationFlags,
  DecodeIssue,
  JsonObject,
  Message,
  ReportedFigures,
  VisitedPage,
  Visitor,
  WebhookEvent,
} from 'smartsupp-hook'`,
  'issue-code': `import type { IssueCode } from 'smartsupp-hook'`,
}

/** Retries a request while the server the block started is not listening yet. */
const retry = `async function docsRetry(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send()
    } catch (error) {
      if (attempt >= 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}`

/** Epilogue name → TypeScript source, appended to the block. */
export const epilogues: Record<string, string> = {
  // A webhook receiver the block started on PORT: a signed event → 200, the same unsigned → 401.
  'post-webhook': `import { postWebhookEvent as docsPostWebhookEvent, webhookFixtures as docsFixtures } from 'smartsupp-hook/testing'
${retry}
{
  const url = \`http://127.0.0.1:\${process.env.PORT}/webhooks/smartsupp\`
  const event = docsFixtures['conversation.closed']()
  const secret = process.env.SMARTSUPP_WEBHOOK_SECRET ?? ''
  const signed = await docsRetry(() => docsPostWebhookEvent(url, event, { secret }))
  if (signed.status !== 200) throw new Error(\`a signed event was answered \${signed.status}: \${await signed.text()}\`)
  const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(event) })
  if (unsigned.status !== 401) throw new Error(\`an unsigned event was answered \${unsigned.status}\`)
  process.stdout.write('docs: a signed event → 200, unsigned → 401\\n')
  process.exit(0)
}`,
}
