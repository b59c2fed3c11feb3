import type { NewStoredEvent } from '../../../src/store/event-store.js'

const encoder = new TextEncoder()

/**
 * The `i`-th event the crash tests append: 10 conversations, a body that is the same on every
 * call (so the parent can re-append exactly what the child did) and ends in bytes that are not UTF-8.
 */
export function crashEvent(i: number): NewStoredEvent {
  const conversationId = `crash-${i % 10}`
  const text = JSON.stringify({ event: 'conversation.contact_replied', i, conversationId })
  const body = new Uint8Array([...encoder.encode(text), 0xff, i % 256])
  return {
    key: `crash-key-${i}`,
    conversationId,
    accountId: 'acc-crash',
    event: 'conversation.contact_replied',
    occurredAt: new Date(Date.UTC(2026, 2, 1, 12, 0, 0, i)),
    closes: false,
    body,
    poisoned: null,
  }
}
