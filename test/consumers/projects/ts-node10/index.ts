// Every entry of the package under node10 resolution ("module": "commonjs", the NestJS <= 10
// starter and most Express TypeScript apps): each import must type-check (no TS2307) and load.
import type { Conversation } from 'smartsupp-hook'
import { decodeConversation } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'
import { createSmartsuppFetchHandler } from 'smartsupp-hook/fetch'
import * as nest from 'smartsupp-hook/nest'
import { createSmartsuppListener } from 'smartsupp-hook/node'
import { conversation, postConversation } from 'smartsupp-hook/testing'
import { conversationPayload } from 'smartsupp-hook/testing/arbitraries'

const loaded: unknown[] = [
  decodeConversation,
  smartsuppHook,
  createSmartsuppFetchHandler,
  Object.keys(nest).length > 0 ? nest : undefined,
  createSmartsuppListener,
  postConversation,
  conversationPayload,
]
const built = decodeConversation(conversation({ id: 7 }).visitor('Hello').build())
const id: Conversation['id'] | null = built._tag === 'Right' ? built.right.id : null
if (loaded.some((entry) => entry === undefined) || id !== 7) throw new Error('an entry did not load')
console.log(`ts-node10: ${loaded.length} entries typed and loaded`)
