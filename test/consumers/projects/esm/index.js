import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { isRight } from 'fp-ts/lib/Either.js'
import {
  ConversationPayload,
  encodeConversation,
  parseConversation,
  parseConversationOrThrow,
  SmartsuppDecodeError,
  signWebhookBody,
} from 'smartsupp-hook'
import { createSmartsuppWebhookListener } from 'smartsupp-hook/node'
import { webhookFixtures } from 'smartsupp-hook/testing'

const body = readFileSync(new URL('./payload.json', import.meta.url))
const result = parseConversation(body, { mode: 'strict' })
assert.ok(isRight(result), 'the documented example decodes')
const c = result.right
assert.equal(c.source, 'post-hook')
assert.equal(c.id, '55039')
assert.equal(c.accountId, '208')
assert.deepEqual(c.messages[3].sender, { kind: 'agent', id: '3' })
assert.equal(encodeConversation(c).channel.id, 55039)
assert.equal(c.beginAt.toISOString(), '2015-03-27T15:33:59.703Z')
assert.deepEqual(
  c.messages.map((m) => m.kind),
  ['visitor', 'system', 'trigger', 'agent', 'visitor', 'system'],
)
assert.ok(ConversationPayload.is(encodeConversation(c)))
assert.throws(() => parseConversationOrThrow('[]'), SmartsuppDecodeError)

// A signed webhook, received by the node:http listener over real HTTP.
const secret = 'consumer-webhook-secret'
const events = []
const server = createServer(
  createSmartsuppWebhookListener({ secret, onEvent: (event) => events.push(event) }),
)
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const event = JSON.stringify(webhookFixtures['conversation.agent_replied']())
const url = `http://127.0.0.1:${server.address().port}/`
const signed = await fetch(url, {
  method: 'POST',
  body: event,
  headers: { 'x-smartsupp-hmac': await signWebhookBody(event, secret) },
})
const unsigned = await fetch(url, { method: 'POST', body: event })
server.close()
assert.deepEqual([signed.status, unsigned.status], [200, 401])
assert.deepEqual(
  events.map((e) => e.event),
  ['conversation.agent_replied'],
)
console.log(
  `esm: conversation ${c.id} with ${c.messages.length} messages; webhook ${events[0].event} received`,
)
