import { isRight } from 'fp-ts/lib/Either'
import { type Conversation, parseConversation, SmartsuppDecodeError } from 'smartsupp-hook'

import payload = require('./payload.json')

const result = parseConversation(JSON.stringify(payload), { mode: 'strict' })
if (!isRight(result)) throw new SmartsuppDecodeError(result.left)
const c: Conversation = result.right
const rating: number | undefined = c.rating?.value
if (rating !== 5) throw new Error(`unexpected rating ${rating}`)
console.log(`ts-node16: conversation ${c.id} rated ${rating}`)
