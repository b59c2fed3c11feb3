// Smartsupp webhooks in an Express app. Run: SMARTSUPP_WEBHOOK_SECRET=<the app's secret> npm run example:webhooks-express
// Then ask Smartsupp support to send the webhooks to http://<your host>:3000/webhooks/smartsupp.
// Try it locally: npx smartsupp-hook send http://127.0.0.1:3000/webhooks/smartsupp \
//   --fixture webhook:conversation.agent_replied --secret <the same secret>
import { pathToFileURL } from 'node:url'
import express, { type Express } from 'express'
import { type DecodeFailure, type WebhookEvent, webhookEventKey } from 'smartsupp-hook'
import { smartsuppWebhook } from 'smartsupp-hook/express'

/** What the example does with each delivery; the defaults log it. */
export interface WebhookExampleHandlers {
  /** Called once per event, however often Smartsupp delivers it. */
  onEvent(event: WebhookEvent): void | Promise<void>
  /** Called for a re-delivery of an event already handled (answered 200 without handling it again). */
  onDuplicate(event: WebhookEvent, key: string): void | Promise<void>
  /** An authentic (signed) body that does not decode: keep its exact bytes to replay once fixed. */
  onDeadLetter(failure: DecodeFailure, rawBody: Uint8Array): void | Promise<void>
}

/** The conversation an event is about (`null` for contact and unknown events), whatever its shape. */
export function conversationIdOf(event: WebhookEvent): string | null {
  if (!event.known) return null
  const data = event.data
  if ('conversationId' in data) return data.conversationId // agent_joined, agent_left
  if ('conversation' in data && data.conversation !== null) return data.conversation.id
  if ('message' in data && data.message !== null) return data.message.conversationId // deliveries
  return null
}

/** The text of the message an event carries (the `*_replied` events), or `null`. */
export function messageTextOf(event: WebhookEvent): string | null {
  if (!event.known) return null
  switch (event.event) {
    case 'conversation.agent_replied':
    case 'conversation.contact_replied':
    case 'conversation.bot_replied':
      return event.data.message?.text ?? null
    default:
      return null
  }
}

const logHandlers: WebhookExampleHandlers = {
  onEvent: (event) => {
    const text = messageTextOf(event)
    console.log(
      `webhook ${event.event}${event.known ? '' : ' (unknown, kept as sent)'}: conversation ${conversationIdOf(event) ?? '-'}${text === null ? '' : `: ${JSON.stringify(text)}`}`,
    )
  },
  onDuplicate: (event, key) => console.log(`duplicate ${event.event} (${key}), already handled`),
  onDeadLetter: (failure, rawBody) =>
    console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`),
}

/** How many handled keys the example remembers; a real app keeps them in its database. */
const REMEMBERED_KEYS = 10_000

/**
 * The example app: the webhook receiver mounted with app.use before express.json(), so it
 * verifies X-Smartsupp-Hmac over the exact bytes. Smartsupp re-delivers every event not answered
 * 200, with no delivery id, so each event is de-duplicated by `webhookEventKey` and its key
 * recorded only once it was handled: a handler that fails answers 500 and the re-delivery is
 * handled again. Here the keys live in memory; in production use a unique column or a
 * `SET key NX` with a TTL, so that two concurrent re-deliveries cannot both get through.
 */
export function createWebhookExampleApp(
  secret: string,
  handlers: WebhookExampleHandlers = logHandlers,
  appId?: string,
): Express {
  const handled = new Set<string>()
  const app = express()
  app.use(
    '/webhooks/smartsupp',
    smartsuppWebhook({
      secret,
      ...(appId === undefined ? {} : { appId }),
      onEvent: async (event) => {
        const key = webhookEventKey(event)
        if (handled.has(key)) return handlers.onDuplicate(event, key)
        await handlers.onEvent(event)
        handled.add(key)
        if (handled.size > REMEMBERED_KEYS) handled.delete(handled.values().next().value as string)
      },
      onInvalid: (failure, rawBody) => handlers.onDeadLetter(failure, rawBody),
      // A callback threw (the answer is 500, so Smartsupp re-delivers): the body is in context.rawBody.
      onError: (error, context) =>
        console.error(`failed on a ${context.rawBody.length}-byte webhook delivery`, error),
    }),
  )
  app.use(express.json()) // the rest of your app, with its body parsers, comes after the receiver
  app.get('/', (_req, res) => {
    res.send('ok')
  })
  return app
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The app's shared secret: without it no delivery can be verified, so there is nothing to run.
  const secret = process.env.SMARTSUPP_WEBHOOK_SECRET
  if (!secret) {
    console.error(
      "SMARTSUPP_WEBHOOK_SECRET is not set: set it to the webhook app's secret (the one Smartsupp signs X-Smartsupp-Hmac with): SMARTSUPP_WEBHOOK_SECRET=<secret> npm run example:webhooks-express",
    )
    process.exit(1)
  }
  // Optional: accept only this app's events (app_id).
  const appId = process.env.SMARTSUPP_APP_ID || undefined
  const app = createWebhookExampleApp(secret, logHandlers, appId)
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    console.log(`listening on http://127.0.0.1:${port}/webhooks/smartsupp`)
  })
  process.on('SIGTERM', () => server.close())
  process.on('SIGINT', () => server.close())
}
