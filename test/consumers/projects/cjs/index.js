const assert = require('node:assert/strict')
const { readFileSync } = require('node:fs')
const { isLeft } = require('fp-ts/lib/Either')
const {
  decodeConversation,
  ConversationPayload,
  SmartsuppDecodeError,
  signWebhookBody,
} = require('smartsupp-hook')
const { handleSmartsuppWebhook } = require('smartsupp-hook/fetch')
const { webhookFixtures } = require('smartsupp-hook/testing')

const payload = JSON.parse(readFileSync(`${__dirname}/payload.json`, 'utf8'))
const result = decodeConversation(payload)
assert.ok(!isLeft(result), 'the documented example decodes')
assert.equal(result.right.visitor.name, 'Dusan Kmet')
assert.deepEqual(result.right.warnings, [])
assert.ok(ConversationPayload.is(payload))
const bad = decodeConversation({ ...payload, accountId: 'x' })
assert.ok(isLeft(bad))
assert.equal(bad.left.issues[0].path, 'accountId')
assert.equal(typeof SmartsuppDecodeError, 'function')

// A signed webhook, received by the Fetch handler.
async function receiveWebhook() {
  const secret = 'consumer-webhook-secret'
  const events = []
  const options = { secret, onEvent: (event) => events.push(event) }
  const body = JSON.stringify(webhookFixtures['conversation.closed']())
  const headers = { 'x-smartsupp-hmac': await signWebhookBody(body, secret) }
  const res = await handleSmartsuppWebhook(
    new Request('http://x/', { method: 'POST', body, headers }),
    options,
  )
  assert.equal(res.status, 200)
  assert.equal(events.length, 1)
  return events[0].event
}

receiveWebhook().then(
  (name) =>
    console.log(
      `cjs: conversation ${result.right.id}, bad body -> ${bad.left.issues[0].message}; webhook ${name} received`,
    ),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
