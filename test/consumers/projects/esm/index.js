import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { isRight } from 'fp-ts/lib/Either.js'
import {
  ConversationPayload,
  encodeConversation,
  parseConversation,
  parseConversationOrThrow,
  SmartsuppDecodeError,
} from 'smartsupp-hook'

const body = readFileSync(new URL('./payload.json', import.meta.url))
const result = parseConversation(body, { mode: 'strict' })
assert.ok(isRight(result), 'the documented example decodes')
const c = result.right
assert.equal(c.id, 55039)
assert.equal(c.beginAt.toISOString(), '2015-03-27T15:33:59.703Z')
assert.deepEqual(
  c.messages.map((m) => m.kind),
  ['visitor', 'system', 'trigger', 'agent', 'visitor', 'system'],
)
assert.ok(ConversationPayload.is(encodeConversation(c)))
assert.throws(() => parseConversationOrThrow('[]'), SmartsuppDecodeError)
console.log(`esm: conversation ${c.id} with ${c.messages.length} messages`)
