import { isRight } from 'fp-ts/lib/Either'
import {
  type Conversation,
  parseConversation,
  SmartsuppDecodeError,
  signWebhookBody,
  type WebhookEvent,
} from 'smartsupp-hook'
import { createSmartsuppWebhookFetchHandler } from 'smartsupp-hook/fetch'
import { webhookFixtures } from 'smartsupp-hook/testing'

import payload = require('./payload.json')

const result = parseConversation(JSON.stringify(payload), { mode: 'strict' })
if (!isRight(result)) throw new SmartsuppDecodeError(result.left)
const c: Conversation = result.right
// The decoders give the POST hook's side of the union; narrowing on source reaches raw.
const id: string = c.id
const raw = c.source === 'post-hook' ? c.raw : null
if (id !== '55039' || raw?.accountId !== 208) throw new Error(`unexpected id ${id}`)
const rating: number | undefined = c.rating?.value
if (rating !== 5) throw new Error(`unexpected rating ${rating}`)

// A signed webhook, received by the Fetch handler.
async function receiveWebhook(): Promise<string> {
  const secret = 'consumer-webhook-secret'
  const events: WebhookEvent[] = []
  const handler = createSmartsuppWebhookFetchHandler({ secret, onEvent: (event) => void events.push(event) })
  const body = JSON.stringify(webhookFixtures['conversation.rated']())
  const headers = { 'x-smartsupp-hmac': await signWebhookBody(body, secret) }
  const res = await handler(new Request('http://x/', { method: 'POST', body, headers }))
  const event = events[0]
  if (res.status !== 200 || events.length !== 1 || event === undefined)
    throw new Error(`webhook ${res.status}`)
  return event.known && event.event === 'conversation.rated'
    ? `rated ${event.data.rating?.value}`
    : event.event
}

receiveWebhook().then(
  (what) => console.log(`ts-node16: conversation ${c.id} rated ${rating}; webhook ${what} received`),
  (error: unknown) => {
    console.error(error)
    throw error
  },
)
