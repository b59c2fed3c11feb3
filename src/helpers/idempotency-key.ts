import type { ConversationBase } from '../model/conversation.js'
import { conversationFingerprint } from './conversation-fingerprint.js'
import { fnv1a64 } from './fnv1a64.js'

/**
 * A stable key for skipping repeated deliveries: `smartsupp:<accountId>:<conversation id>:<hash>`,
 * where the hash (64-bit FNV-1a, 16 hex digits) covers every documented field of the decoded
 * conversation. A re-delivery of the same data gives the same key, whatever its JSON formatting,
 * key order, unknown fields or form (pre-2018 or current); a conversation that comes again with
 * changed data (a new message, a rating) gets a new key, so no update is dropped as a duplicate.
 * Group versions of one conversation by the prefix `smartsupp:<accountId>:<id>:`. Works for a
 * conversation from either source (the hash covers the fields they share); the ids are written as
 * they are (a POST hook's in decimal, as before), and `accountId` is empty when an assembled
 * conversation's events told none.
 */
export function idempotencyKey(c: ConversationBase): string {
  return `smartsupp:${c.accountId ?? ''}:${c.id}:${fnv1a64(conversationFingerprint(c))}`
}
