// Real stores with known contents for the CLI's store, export and replay tests.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import type { WebhookEventPayload } from '../../src/codecs/webhook/webhook-event.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import type { EventStore } from '../../src/store/event-store.js'
import { storedEventOf } from '../../src/store/stored-event-of.js'
import { postWebhookEvent, webhookConversation } from '../../src/testing/index.js'

export const SECRET = 'cli-store-test-secret'

/** A whole conversation: opened, a question, an agent's answer, a rating, closed by the agent. */
export function closedConversation(id: string): WebhookEventPayload[] {
  return webhookConversation({ id, contactId: `cont-${id}`, visitorId: `vis-${id}` })
    .opened()
    .contactReplied(`Hello from ${id}`)
    .agentJoined({ id: '11', name: 'Petr' })
    .agentReplied({ id: '11', name: 'Petr' }, `Answer for ${id}`)
    .rated(5, 'great')
    .closed({ by: '11' })
    .build()
}

/** A conversation still going: opened and one question. */
export function openConversation(id: string): WebhookEventPayload[] {
  return webhookConversation({ id }).opened().contactReplied('Is anyone there?').build()
}

/** Each event's body as sent: pretty-printed, so a re-serialised body would differ from it. */
export function bodyOf(event: WebhookEventPayload): Buffer {
  return Buffer.from(JSON.stringify(event, null, 1))
}

/** Appends events through the store API, as a receiver would (exact bytes, keys from the decoded events). */
export async function appendAll(store: EventStore, events: readonly WebhookEventPayload[]): Promise<void> {
  for (const event of events) {
    const bytes = bodyOf(event)
    const decoded = parseWebhookEvent(bytes)
    if (decoded._tag === 'Left') throw new Error(`test event does not decode: ${decoded.left.message}`)
    await store.append(storedEventOf(decoded.right, bytes))
  }
}

/**
 * Delivers bodies to a real webhook receiver (node:http + the webhook listener) storing into
 * `store`, signed as Smartsupp signs them, and checks each was answered 200.
 */
export async function deliverAll(store: EventStore, bodies: readonly Buffer[]): Promise<void> {
  const server = createServer(
    createSmartsuppWebhookListener({ secret: SECRET, store, onInvalid: () => undefined }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`
  try {
    for (const body of bodies) {
      const response = await postWebhookEvent(url, body, { secret: SECRET })
      if (response.status !== 200)
        throw new Error(`the receiver answered ${response.status}: ${await response.text()}`)
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
