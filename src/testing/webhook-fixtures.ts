import type { WebhookContactPayload } from '../codecs/webhook/contact.js'
import type { WebhookConversationPayload } from '../codecs/webhook/conversation.js'
import type { WebhookMessagePayload } from '../codecs/webhook/message.js'
import type { WebhookEnvelopePayload } from '../codecs/webhook/webhook-event.js'

// One story: contact Jana opens a chat on 2 March 2026, the bot greets her, agent 11 (Petr)
// joins and answers, hands over to agent 12, she rates and the chat is closed. Ids are made up
// in the style the production receiver recorded ("conv-001"); shared spec: Events.
const ACCOUNT = '881987'
const APP = 'ap40qUkYi'
const CONVERSATION_ID = 'conv-001'
const at = (minute: number, second = 0): string =>
  `2026-03-02T09:${String(15 + minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`

function envelope(event: string, timestamp: string, data: Record<string, unknown>): WebhookEnvelopePayload {
  return { type: 'event_callback', event, timestamp, account_id: ACCOUNT, app_id: APP, data }
}

function conversation(
  status: string,
  updatedAt: string,
  more: Partial<WebhookConversationPayload> = {},
): WebhookConversationPayload {
  return {
    id: CONVERSATION_ID,
    ext_id: null,
    subject: null,
    status,
    unread: status === 'open',
    is_offline: false,
    is_served: status !== 'open',
    contact_id: 'cont-001',
    visitor_id: 'vis-001',
    finished_at: null,
    last_message_at: updatedAt,
    last_closed_at: null,
    domain: 'shop.example.com',
    referer: 'https://www.google.com/search?q=blue+jacket',
    channel: { type: 'chat' },
    last_message_text: 'Hello, is the blue jacket in stock in size M?',
    tags: [],
    variables: { userId: '1234', plan: 'gold' },
    assigned_agent_ids: [],
    rating: null,
    rating_text: null,
    close_type: null,
    closed_by_agent_id: null,
    contact_name: 'Jana Nováková',
    contact_email: 'jana@example.com',
    contact_avatar_url: null,
    location_country: 'CZ',
    location_city: 'Prague',
    location_ip: '192.0.2.10',
    location_code: 'CZ',
    created_at: at(0),
    updated_at: updatedAt,
    ...more,
  }
}

function message(id: string, createdAt: string, more: Partial<WebhookMessagePayload>): WebhookMessagePayload {
  return {
    id,
    conversation_id: CONVERSATION_ID,
    sub_type: 'contact',
    type: 'message',
    content: '',
    author_name: null,
    trigger_name: null,
    trigger_id: null,
    page_url: 'https://shop.example.com/jackets/blue',
    agent_id: null,
    visitor_id: 'vis-001',
    delivery_status: 'delivered',
    delivered_at: createdAt,
    is_offline: false,
    is_reply: false,
    is_first_reply: false,
    response_time: null,
    attachments: [],
    created_at: createdAt,
    updated_at: createdAt,
    ...more,
  }
}

function contact(updatedAt: string, more: Partial<WebhookContactPayload> = {}): WebhookContactPayload {
  return {
    id: 'cont-001',
    email: 'jana@example.com',
    name: 'Jana Nováková',
    phone: '+420 601 234 567',
    note: null,
    banned_at: null,
    banned_by: null,
    gdpr_approved: true,
    tags: ['vip'],
    properties: { customerNumber: 'C-7781' },
    created_at: at(0),
    updated_at: updatedAt,
    ...more,
  }
}

const contactFirst = (): WebhookMessagePayload =>
  message('msg-001', at(0, 2), {
    content: 'Hello, is the blue jacket in stock in size M?',
    author_name: 'Jana Nováková',
  })
const assigned = () => ({ assigned_agent_ids: ['11'] })

/**
 * A webhook event for every event name in the spec, one consistent conversation, plus an
 * unknown event and the `content` object forms. Each is a function returning a fresh deep copy.
 * The same bodies are in `examples/payloads/webhooks/<name>.json` (a test keeps them equal).
 */
export const webhookFixtures = {
  'conversation.opened': () =>
    envelope('conversation.opened', at(0, 2), { conversation: conversation('open', at(0, 2)) }),
  'conversation.contact_replied': () =>
    envelope('conversation.contact_replied', at(0, 2), {
      conversation: conversation('open', at(0, 2)),
      message: contactFirst(),
    }),
  'conversation.bot_replied': () =>
    envelope('conversation.bot_replied', at(0, 3), {
      conversation: conversation('open', at(0, 3), {
        last_message_text: 'Hi Jana! An agent will be with you shortly.',
      }),
      message: message('msg-002', at(0, 3), {
        sub_type: 'bot',
        content: { text: 'Hi Jana! An agent will be with you shortly.' },
        author_name: 'Shop assistant',
        visitor_id: null,
      }),
    }),
  'conversation.agent_assigned': () =>
    envelope('conversation.agent_assigned', at(0, 20), {
      conversation: conversation('pending', at(0, 20), assigned()),
      assigned: '11',
    }),
  'conversation.agent_joined': () =>
    envelope('conversation.agent_joined', at(0, 25), { conversation_id: CONVERSATION_ID, agent_id: '11' }),
  'conversation.agent_replied': () =>
    envelope('conversation.agent_replied', at(0, 40), {
      conversation: conversation('served', at(0, 40), {
        ...assigned(),
        last_message_text: 'Hi Jana, yes: size M is in stock.',
      }),
      message: message('msg-003', at(0, 40), {
        sub_type: 'agent',
        content: 'Hi Jana, yes: size M is in stock.',
        author_name: 'Petr Svoboda',
        agent_id: '11',
        visitor_id: null,
        is_reply: true,
        is_first_reply: true,
        response_time: 38,
      }),
    }),
  'conversation.message_delivered': () =>
    envelope('conversation.message_delivered', at(0, 41), {
      message: {
        id: 'msg-003',
        conversation_id: CONVERSATION_ID,
        created_at: at(0, 40),
        updated_at: at(0, 41),
      },
    }),
  'conversation.message_delivery_failed': () =>
    envelope('conversation.message_delivery_failed', at(1, 5), {
      message: {
        id: 'msg-004',
        conversation_id: CONVERSATION_ID,
        created_at: at(1, 0),
        updated_at: at(1, 5),
      },
    }),
  'conversation.agent_unassigned': () =>
    envelope('conversation.agent_unassigned', at(2), {
      conversation: conversation('served', at(2), { assigned_agent_ids: [] }),
    }),
  'conversation.agent_left': () =>
    envelope('conversation.agent_left', at(2, 1), { conversation_id: CONVERSATION_ID, agent_id: '11' }),
  'conversation.rated': () =>
    envelope('conversation.rated', at(4), {
      // The rated event carried fewer keys than `opened` in practice (shared spec).
      conversation: {
        id: CONVERSATION_ID,
        status: 'served',
        rating: 5,
        rating_text: 'Quick and friendly, thank you!',
        contact_id: 'cont-001',
        created_at: at(0),
        updated_at: at(4),
      },
      rating_value: 5,
      rating_text: 'Quick and friendly, thank you!',
    }),
  'conversation.closed': () =>
    envelope('conversation.closed', at(5), {
      conversation: conversation('closed', at(5), {
        ...assigned(),
        finished_at: at(5),
        last_closed_at: at(5),
        rating: 5,
        rating_text: 'Quick and friendly, thank you!',
        close_type: 'agent',
        closed_by_agent_id: '11',
      }),
      close_type: 'agent',
      agent_id: '11',
    }),
  'conversation.closed_by_contact': () =>
    envelope('conversation.closed_by_contact', at(5), {
      conversation: conversation('closed', at(5), {
        finished_at: at(5),
        last_closed_at: at(5),
        close_type: 'contact',
      }),
    }),
  'contact.created': () => envelope('contact.created', at(0, 1), { contact: contact(at(0, 1)) }),
  'contact.updated': () =>
    envelope('contact.updated', at(3), { contact: contact(at(3), { note: 'Asked about size M.' }) }),
  'contact.acquired': () => envelope('contact.acquired', at(3, 30), { contact: contact(at(3, 30)) }),
  'contact.banned': () =>
    envelope('contact.banned', at(6), {
      contact: contact(at(6), { banned_at: at(6), banned_by: '12' }),
    }),
  'contact.unbanned': () => envelope('contact.unbanned', at(7), { contact: contact(at(7)) }),
  /** A trigger message whose `content` is `{ html }`. */
  'conversation.bot_replied.html': () =>
    envelope('conversation.bot_replied', at(0, 1), {
      conversation: conversation('open', at(0, 1)),
      message: message('msg-000', at(0, 1), {
        sub_type: 'trigger',
        content: { html: '<p>Free shipping over <b>1&nbsp;000&nbsp;CZK</b> today!</p>' },
        trigger_name: 'Free shipping banner',
        trigger_id: 'trg-7',
        visitor_id: null,
      }),
    }),
  /** An event name the spec does not know (the `visitor.*` events are delivered, shape unknown). */
  unknown: () =>
    envelope('visitor.page_viewed', at(0), {
      visitor: { id: 'vis-001', url: 'https://shop.example.com/jackets/blue' },
    }),
} as const satisfies Record<string, () => WebhookEnvelopePayload>

/** The name of a webhook fixture: a key of `webhookFixtures` (an event name, or a variant of one). */
export type WebhookFixtureName = keyof typeof webhookFixtures
