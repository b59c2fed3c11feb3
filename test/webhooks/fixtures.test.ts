import { readFileSync } from 'node:fs'
import { isRight } from 'fp-ts/lib/Either.js'
import {
  type KnownWebhookEventName,
  parseWebhookEvent,
  WEBHOOK_EVENT_DATA,
  type WebhookContact,
  type WebhookConversation,
  WebhookEnvelopePayload,
  type WebhookEvent,
  type WebhookEventOf,
  WebhookEventPayload,
  type WebhookMessage,
} from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { decoded, fixture, fixtureNames } from './support.js'

const knownNames = fixtureNames.filter((n) => n !== 'unknown')

function known<N extends KnownWebhookEventName>(e: WebhookEvent, name: N): WebhookEventOf<N> {
  if (!e.known || e.event !== name) throw new Error(`expected ${name}, got ${e.event}`)
  return e as WebhookEventOf<N>
}

describe('webhook fixtures', () => {
  it('cover every event name the codecs know, an unknown event and the content object forms', () => {
    const events = new Set(fixtureNames.map((n) => String(fixture(n).event)))
    for (const name of Object.keys(WEBHOOK_EVENT_DATA)) expect(events).toContain(name)
    expect(fixtureNames).toContain('unknown')
    expect(fixture('conversation.bot_replied').data).toMatchObject({
      message: { content: { text: expect.any(String) } },
    })
    expect(fixture('conversation.bot_replied.html').data).toMatchObject({
      message: { content: { html: expect.any(String) } },
    })
  })

  it.each(fixtureNames)('%s is in examples/payloads/webhooks as JSON, equal to the fixture', (name) => {
    const file = new URL(`../../examples/payloads/webhooks/${name}.json`, import.meta.url)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(fixture(name))
  })

  it.each(fixtureNames)('%s decodes in both modes with no warning', (name) => {
    for (const mode of ['lenient', 'strict'] as const) {
      const text = JSON.stringify(fixture(name))
      const result = parseWebhookEvent(text, { mode })
      expect(result._tag, mode).toBe('Right')
      if (result._tag === 'Right') {
        expect(result.right.warnings).toEqual([])
        expect(result.right.known).toBe(name !== 'unknown')
        expect(result.right.raw).toEqual(JSON.parse(text))
      }
    }
  })

  it.each(knownNames)('%s passes the strict io-ts codec', (name) => {
    expect(isRight(WebhookEventPayload.decode(fixture(name)))).toBe(true)
  })

  it('the unknown event passes the envelope codec, fails the known-event codec, and keeps its data', () => {
    const raw = fixture('unknown')
    expect(isRight(WebhookEnvelopePayload.decode(raw))).toBe(true)
    expect(isRight(WebhookEventPayload.decode(raw))).toBe(false)
    const e = decoded(raw, { mode: 'strict' })
    expect(e).toMatchObject({ known: false, event: 'visitor.page_viewed', data: raw.data, raw })
  })

  it('each call returns a fresh deep copy', () => {
    const a = webhookFixtures['conversation.agent_replied']()
    const b = webhookFixtures['conversation.agent_replied']()
    expect(a).toEqual(b)
    ;(a.data.conversation as { assigned_agent_ids: string[] }).assigned_agent_ids.push('99')
    expect(b).toEqual(webhookFixtures['conversation.agent_replied']())
  })
})

describe('the model of the fixtures', () => {
  it('reads the envelope: Dates, string ids, type', () => {
    const e = decoded(fixture('conversation.opened'))
    expect(e.timestamp).toEqual(new Date('2026-03-02T09:15:02.000Z'))
    expect(e).toMatchObject({ type: 'event_callback', accountId: '881987', appId: 'ap40qUkYi' })
  })

  it('reads a conversation into camelCase names and Dates', () => {
    const { conversation } = known(decoded(fixture('conversation.closed')), 'conversation.closed').data
    expect(conversation).toMatchObject({
      id: 'conv-001',
      status: 'closed',
      isServed: true,
      finishedAt: new Date('2026-03-02T09:20:00.000Z'),
      assignedAgentIds: ['11'],
      channel: { type: 'chat' },
      closedByAgentId: '11',
      locationCity: 'Prague',
      rating: { value: 5, comment: 'Quick and friendly, thank you!' },
    })
  })

  it('reads the event-specific keys', () => {
    expect(known(decoded(fixture('conversation.closed')), 'conversation.closed').data).toMatchObject({
      closeType: 'agent',
      agentId: '11',
    })
    expect(known(decoded(fixture('conversation.rated')), 'conversation.rated').data.rating).toEqual({
      value: 5,
      comment: 'Quick and friendly, thank you!',
    })
    expect(
      known(decoded(fixture('conversation.agent_assigned')), 'conversation.agent_assigned').data
        .assignedAgentId,
    ).toBe('11')
    expect(known(decoded(fixture('conversation.agent_joined')), 'conversation.agent_joined').data).toEqual({
      conversationId: 'conv-001',
      agentId: '11',
    })
  })

  it('a sparse conversation (rated) has null for what it does not tell, without warnings', () => {
    const e = known(decoded(fixture('conversation.rated'), { mode: 'strict' }), 'conversation.rated')
    expect(e.data.conversation).toMatchObject({ id: 'conv-001', domain: null, channel: null, tags: null })
  })

  it('reads an agent reply: responseTimeSeconds, sender, text', () => {
    const { message } = known(
      decoded(fixture('conversation.agent_replied')),
      'conversation.agent_replied',
    ).data
    expect(message).toMatchObject({
      text: 'Hi Jana, yes: size M is in stock.',
      content: 'Hi Jana, yes: size M is in stock.',
      responseTimeSeconds: 38,
      isFirstReply: true,
      sender: { kind: 'agent', agentId: '11', name: 'Petr Svoboda' },
      createdAt: new Date('2026-03-02T09:15:40.000Z'),
    })
  })

  it('reads content objects into one text and keeps the original', () => {
    const bot = known(decoded(fixture('conversation.bot_replied')), 'conversation.bot_replied').data.message
    expect(bot).toMatchObject({
      text: 'Hi Jana! An agent will be with you shortly.',
      content: { text: 'Hi Jana! An agent will be with you shortly.' },
      sender: { kind: 'bot', name: 'Shop assistant' },
    })
    const trigger = known(decoded(fixture('conversation.bot_replied.html')), 'conversation.bot_replied').data
      .message
    expect(trigger?.text).toBe('Free shipping over 1 000 CZK today!')
    expect(trigger?.content).toEqual({ html: '<p>Free shipping over <b>1&nbsp;000&nbsp;CZK</b> today!</p>' })
    expect(trigger?.sender).toEqual({ kind: 'trigger', triggerId: 'trg-7', name: 'Free shipping banner' })
  })

  it('a delivery event carries only ids and times', () => {
    const { message } = known(
      decoded(fixture('conversation.message_delivered'), { mode: 'strict' }),
      'conversation.message_delivered',
    ).data
    expect(message).toMatchObject({ id: 'msg-003', conversationId: 'conv-001', text: null, sender: null })
  })

  it('reads a contact', () => {
    const { contact } = known(decoded(fixture('contact.banned')), 'contact.banned').data
    expect(contact).toMatchObject({
      id: 'cont-001',
      bannedAt: new Date('2026-03-02T09:21:00.000Z'),
      bannedBy: '12',
      gdprApproved: true,
      properties: { customerNumber: 'C-7781' },
    })
  })
})

describe('the decoded model has exactly the keys its type declares', () => {
  it('conversation, message and contact objects carry every key, in codec order', () => {
    const reply = known(decoded(fixture('conversation.agent_replied')), 'conversation.agent_replied').data
    expect(Object.keys(reply.conversation ?? {})).toEqual(CONVERSATION_KEYS)
    expect(Object.keys(reply.message ?? {})).toEqual(MESSAGE_KEYS)
    const sparse = known(decoded(fixture('conversation.message_delivered')), 'conversation.message_delivered')
    expect(Object.keys(sparse.data.message ?? {})).toEqual(MESSAGE_KEYS)
    const { contact } = known(decoded(fixture('contact.created')), 'contact.created').data
    expect(Object.keys(contact ?? {})).toEqual(CONTACT_KEYS)
  })
})

// Written out once here, checked against the types by model-keys.test-d.ts and against the
// decoder above: the keys a user sees.
const CONVERSATION_KEYS = [
  'id',
  'createdAt',
  'updatedAt',
  'extId',
  'subject',
  'status',
  'unread',
  'isOffline',
  'isServed',
  'contactId',
  'visitorId',
  'finishedAt',
  'lastMessageAt',
  'lastClosedAt',
  'domain',
  'referer',
  'channel',
  'lastMessageText',
  'tags',
  'variables',
  'assignedAgentIds',
  'closeType',
  'closedByAgentId',
  'contactName',
  'contactEmail',
  'contactAvatarUrl',
  'locationCountry',
  'locationCity',
  'locationIp',
  'locationCode',
  'rating',
] satisfies (keyof WebhookConversation)[]
const MESSAGE_KEYS = [
  'id',
  'conversationId',
  'createdAt',
  'updatedAt',
  'subType',
  'type',
  'authorName',
  'triggerName',
  'triggerId',
  'pageUrl',
  'agentId',
  'visitorId',
  'deliveryStatus',
  'deliveredAt',
  'isOffline',
  'isReply',
  'isFirstReply',
  'responseTimeSeconds',
  'attachments',
  'text',
  'content',
  'sender',
] satisfies (keyof WebhookMessage)[]
const CONTACT_KEYS = [
  'id',
  'createdAt',
  'updatedAt',
  'email',
  'name',
  'phone',
  'note',
  'bannedAt',
  'bannedBy',
  'gdprApproved',
  'tags',
  'properties',
] satisfies (keyof WebhookContact)[]
