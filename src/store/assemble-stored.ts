import { assembleConversation } from '../assemble/assemble-conversation.js'
import type { DecodeMode } from '../decode/options.js'
import { parseWebhookEvent } from '../decode/webhook/parse-webhook-event.js'
import type { AssembledConversation } from '../model/conversation.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { StoredEvent } from './event-store.js'
import { storedConversationId } from './storable-text.js'
import { conversationIdOf } from './stored-event-of.js'

/** How every `webhookEventKey` starts; a stored key that does not was escaped by the store. */
const WEBHOOK_KEY_START = 'smartsupp-webhook:'

/** Why a conversation could not be assembled from its stored events. */
export class AssemblyError extends Error {
  override readonly name = 'SmartsuppAssemblyError'
}

/**
 * Decodes a conversation's stored events (poisoned ones skipped) and assembles them; throws
 * `AssemblyError`. `conversationId` is the stored id: the assembled conversation has the real
 * one, read from the events (they differ only for ids a store cannot hold as they are).
 */
export function assembleStored(
  conversationId: string,
  stored: readonly StoredEvent[],
  mode: DecodeMode,
): AssembledConversation {
  const events: WebhookEvent[] = []
  // The keys the store holds (webhookEventKey of each event, computed when it was received), so
  // assembly does not compute them again: most of its cost.
  const keys: string[] = []
  let keysAsComputed = true
  let realId: string | undefined
  for (const s of stored) {
    if (s.poisoned !== null) continue
    const decoded = parseWebhookEvent(s.body, { mode })
    if (decoded._tag === 'Left') continue
    events.push(decoded.right)
    keys.push(s.key)
    // A key the store had to escape (storableText) is not the one assembly would compute, and
    // would order ties differently: then assembly computes them all.
    if (!s.key.startsWith(WEBHOOK_KEY_START)) keysAsComputed = false
    if (realId === undefined) {
      const id = conversationIdOf(decoded.right.raw.data)
      if (id !== null && storedConversationId(id) === conversationId) realId = id
    }
  }
  const assembled = assembleConversation(events, {
    conversationId: realId ?? conversationId,
    ...(keysAsComputed ? { keys } : {}),
  })
  if (assembled._tag === 'Left') {
    throw new AssemblyError(
      `conversation ${conversationId} could not be assembled from its ${stored.length} stored events: ${assembled.left.message}`,
    )
  }
  return assembled.right
}
