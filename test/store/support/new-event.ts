import type { NewStoredEvent } from '../../../src/store/event-store.js'

const encoder = new TextEncoder()

/** A stored-event input for the contract tests: `conversation.contact_replied` of `c1` unless told otherwise. */
export function newEvent(key: string, fields: Partial<NewStoredEvent> = {}): NewStoredEvent {
  const conversationId = fields.conversationId === undefined ? 'c1' : fields.conversationId
  return {
    key,
    conversationId,
    accountId: 'acc-1',
    event: 'conversation.contact_replied',
    occurredAt: new Date('2026-03-01T11:00:00.000Z'),
    closes: false,
    body: encoder.encode(JSON.stringify({ key, conversationId })),
    poisoned: null,
    ...fields,
  }
}

/** The closing event of a conversation. */
export function closingEvent(conversationId: string, key = `${conversationId}-closed`): NewStoredEvent {
  return newEvent(key, { conversationId, event: 'conversation.closed', closes: true })
}
