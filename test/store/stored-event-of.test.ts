import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { webhookEventKey } from '../../src/helpers/webhook-event-key.js'
import { parseWebhookEvent } from '../../src/index.js'
import type { WebhookEvent } from '../../src/model/webhook-event.js'
import { poisonedEventKey, poisonedStoredEventOf, storedEventOf } from '../../src/store/index.js'
import { type WebhookFixtureName, webhookFixtures } from '../../src/testing/webhook-fixtures.js'

const encoder = new TextEncoder()

function decoded(value: unknown): { event: WebhookEvent; bytes: Uint8Array } {
  const bytes = encoder.encode(JSON.stringify(value))
  const result = parseWebhookEvent(bytes)
  if (result._tag === 'Left') throw new Error(result.left.message)
  return { event: result.right, bytes }
}

describe('storedEventOf', () => {
  test('every fixture: key, account, name, time and bytes as decoded; closes only for the closing events', () => {
    const conversationIds = new Set<string | null>()
    for (const name of Object.keys(webhookFixtures) as WebhookFixtureName[]) {
      const { event, bytes } = decoded(webhookFixtures[name]())
      const stored = storedEventOf(event, bytes)
      expect(stored, name).toEqual({
        key: webhookEventKey(event),
        conversationId: stored.conversationId,
        accountId: event.accountId,
        event: event.event,
        occurredAt: event.timestamp,
        closes: name === 'conversation.closed' || name === 'conversation.closed_by_contact',
        body: bytes,
        poisoned: null,
      })
      expect(stored.body).toBe(bytes)
      // Every conversation.* fixture belongs to the one conversation; contact.* to none.
      if (name.startsWith('contact.')) expect(stored.conversationId, name).toBeNull()
      else if (name.startsWith('conversation.')) conversationIds.add(stored.conversationId)
    }
    expect([...conversationIds]).toHaveLength(1)
    expect([...conversationIds][0]).toMatch(/\S/)
  })

  test('the conversation id from data.conversation.id, data.conversation_id or data.message.conversation_id', () => {
    const envelope = (data: unknown) => ({
      event: 'conversation.x_future',
      type: 'event_callback',
      timestamp: '2026-03-01T12:00:00.000Z',
      account_id: 7,
      data,
    })
    const id = (data: unknown) => {
      const { event, bytes } = decoded(envelope(data))
      return storedEventOf(event, bytes).conversationId
    }
    expect(id({ conversation: { id: 'A1' }, conversation_id: 'B', message: { conversation_id: 'C' } })).toBe(
      'A1',
    )
    expect(id({ conversation: { id: 55039 } })).toBe('55039')
    expect(id({ conversation: null, conversation_id: 'B2' })).toBe('B2')
    expect(id({ message: { id: 'm', conversation_id: 9007199254740991 } })).toBe('9007199254740991')
    expect(id({ conversation: { id: '' }, message: { conversation_id: 'C3' } })).toBe('C3')
    expect(id({ conversation: { id: 1.5 } })).toBeNull()
    expect(id({ contact: { id: 'k' } })).toBeNull()
  })
})

describe('poisonedEventKey and poisonedStoredEventOf', () => {
  test('the SHA-256 of exactly the bytes (a view hashes only its own bytes)', async () => {
    const backing = new Uint8Array([1, 2, 0xff, 0x00, 0x7b, 9])
    const view = backing.subarray(2, 5)
    const expected = createHash('sha256')
      .update(Buffer.from([0xff, 0x00, 0x7b]))
      .digest('hex')
    expect(await poisonedEventKey(view)).toBe(`smartsupp-webhook-poisoned:${expected}`)
    expect(await poisonedEventKey(new Uint8Array([0xff, 0x00, 0x7c]))).not.toBe(await poisonedEventKey(view))
  })

  test('an undecodable body becomes a poisoned event of no conversation, keeping the bytes', async () => {
    const bytes = new Uint8Array([0x7b, 0xff])
    expect(await poisonedStoredEventOf(bytes, 'not JSON')).toEqual({
      key: await poisonedEventKey(bytes),
      conversationId: null,
      accountId: null,
      event: null,
      occurredAt: null,
      closes: false,
      body: bytes,
      poisoned: 'not JSON',
    })
  })
})
