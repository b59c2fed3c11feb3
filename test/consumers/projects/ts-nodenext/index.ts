import { isLeft } from 'fp-ts/lib/Either.js'
import {
  type AgentMessage,
  type Conversation,
  type DecodeFailure,
  decodeConversation,
  type Message,
  signWebhookBody,
  type WebhookEvent,
} from 'smartsupp-hook'
import { handleSmartsuppWebhook } from 'smartsupp-hook/fetch'
import { webhookFixtures } from 'smartsupp-hook/testing'
import payload from './payload.json' with { type: 'json' }

function agentLines(c: Conversation): string[] {
  return c.messages
    .filter((m: Message): m is AgentMessage => m.kind === 'agent')
    .map((m) => `agent ${m.sender.id}: ${m.content}`)
}

const result = decodeConversation(payload)
if (isLeft(result)) {
  const failure: DecodeFailure = result.left
  throw new Error(failure.message)
}
const lines = agentLines(result.right)
if (lines.length !== 1 || lines[0] !== 'agent 3: Hi, how can i help you ?')
  throw new Error(`unexpected ${lines}`)

// A signed webhook, received by the Fetch handler.
const secret = 'consumer-webhook-secret'
const events: WebhookEvent[] = []
const body = JSON.stringify(webhookFixtures['conversation.contact_replied']())
const headers = { 'x-smartsupp-hmac': await signWebhookBody(body, secret) }
const request = new Request('http://x/', { method: 'POST', body, headers })
const res = await handleSmartsuppWebhook(request, { secret, onEvent: (event) => void events.push(event) })
if (res.status !== 200 || events.length !== 1) throw new Error(`webhook ${res.status}`)
console.log(`ts-nodenext: ${lines[0]}; webhook ${events[0]?.event} received`)
