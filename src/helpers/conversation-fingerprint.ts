import type * as t from 'io-ts'
import { codecNode, documentedKeys, fieldCodec, objectKeys } from '../codecs/codec-structure.js'
import { ConversationPayload } from '../codecs/conversation.js'
import type { ConversationBase } from '../model/conversation.js'
import { encodeModel } from '../model/encode-conversation.js'

/**
 * Every documented field of a conversation as one JSON text, in a fixed order (internal; for
 * `idempotencyKey`). The fields are the codec's, walked from `ConversationPayload`, over the wire
 * form the encoder writes from the model alone: no `raw`, so no unknown fields, no warnings and
 * no received value the model could not read; so it reads the same fields of a conversation from
 * the POST hook and of one assembled from webhooks (whose ids may be non-numeric strings, written
 * as strings). Ids in decimal are written as the numbers they were, so the text of a POST hook
 * conversation is what it was when its ids were numbers. Objects become arrays of their documented fields
 * in the codec's order, visitor variables are sorted by key: equal data gives equal text,
 * however the payload was written.
 */
export function conversationFingerprint(c: ConversationBase): string {
  return JSON.stringify(writerOf(ConversationPayload)(encodeModel(c, undefined)))
}

/** Writes a wire value where a codec stands in its canonical form; built once per codec. */
type Writer = (value: unknown) => unknown

const writers = new WeakMap<t.Any, Writer>()
const isObject = (u: unknown): u is Record<string, unknown> =>
  u !== null && typeof u === 'object' && !Array.isArray(u)
const asIs: Writer = (value) => (value === undefined ? null : value)

function writerOf(codec: t.Any): Writer {
  const cached = writers.get(codec)
  if (cached !== undefined) return cached
  const writer = buildWriter(codec)
  writers.set(codec, writer)
  return writer
}

function buildWriter(codec: t.Any): Writer {
  const node = codecNode(codec)
  switch (node.kind) {
    case 'object':
    case 'union': {
      if (node.kind === 'union' && !node.members.every((m) => codecNode(m).kind === 'object')) return asIs
      const keys = node.kind === 'object' ? objectKeys(node) : [...documentedKeys(codec)]
      const fields = keys.map((key) => {
        const field = fieldCodec(codec, key)
        return [key, field === undefined ? asIs : writerOf(field)] as const
      })
      return (value) =>
        isObject(value)
          ? fields.map(([key, write]) => (Object.hasOwn(value, key) ? write(value[key]) : null))
          : asIs(value)
    }
    case 'array': {
      const item = writerOf(node.item)
      return (value) => (Array.isArray(value) ? value.map((v) => item(v)) : asIs(value))
    }
    case 'record': {
      const entry = writerOf(node.value)
      return (value) =>
        isObject(value)
          ? Object.keys(value)
              .sort()
              .map((key) => [key, entry(value[key])])
          : asIs(value)
    }
    default:
      return asIs
  }
}
