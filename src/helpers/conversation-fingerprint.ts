import type * as t from 'io-ts'
import { codecNode, documentedKeys, fieldCodec, objectKeys } from '../codecs/codec-structure.js'
import { ConversationPayload } from '../codecs/conversation.js'
import type { Conversation } from '../model/conversation.js'
import { encodeConversation } from '../model/encode-conversation.js'

/**
 * Every documented field of a conversation as one JSON text, in a fixed order (internal; for
 * `idempotencyKey`). The fields are the codec's, walked from `ConversationPayload`, over the wire
 * form the encoder writes from the model alone: no `raw`, so no unknown fields, no warnings and
 * no received value the model could not read. Objects become arrays of their documented fields
 * in the codec's order, visitor variables are sorted by key: equal data gives equal text,
 * however the payload was written.
 */
export function conversationFingerprint(c: Conversation): string {
  return JSON.stringify(canonical(ConversationPayload, encodeConversation({ ...c, raw: {} })))
}

function canonical(codec: t.Any, value: unknown): unknown {
  if (value === undefined) return null
  const node = codecNode(codec)
  switch (node.kind) {
    case 'object':
    case 'union': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
      const keys = node.kind === 'object' ? objectKeys(node) : [...documentedKeys(codec)]
      const o = value as Record<string, unknown>
      return keys.map((key) => {
        const field = fieldCodec(codec, key)
        return field === undefined || !Object.hasOwn(o, key) ? null : canonical(field, o[key])
      })
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => canonical(node.item, item)) : value
    case 'record': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
      const o = value as Record<string, unknown>
      return Object.keys(o)
        .sort()
        .map((key) => [key, canonical(node.value, o[key])])
    }
    default:
      return value
  }
}
