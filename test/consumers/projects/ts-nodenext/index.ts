import { isLeft } from 'fp-ts/lib/Either.js'
import {
  type AgentMessage,
  type Conversation,
  type DecodeFailure,
  decodeConversation,
  type Message,
} from 'smartsupp-hook'
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
console.log(`ts-nodenext: ${lines[0]}`)
