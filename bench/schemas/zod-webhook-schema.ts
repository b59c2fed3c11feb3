import { z } from 'zod'

// The webhook contract of `smartsupp-hook`'s strict mode (src/codecs/webhook/*) in zod 4, for the
// bench: closed objects, the documented keys required, the rest optional, ids as strings, ISO
// date-times with a zone. zod validates only (the strings stay strings); `parseWebhookEvent` also
// builds the camelCase model with `Date`s, so the comparison favours zod.

const id = z.string()
const iso = z.iso.datetime({ offset: true })
const text = z.string().nullable()
const integer = z.number().int()

const channel = z.strictObject({ type: z.string() })

const conversation = z.strictObject({
  id,
  created_at: iso,
  updated_at: iso,
  ext_id: text.optional(),
  subject: text.optional(),
  status: z.string().optional(),
  unread: z.boolean().optional(),
  is_offline: z.boolean().optional(),
  is_served: z.boolean().optional(),
  contact_id: id.nullable().optional(),
  visitor_id: id.nullable().optional(),
  finished_at: iso.nullable().optional(),
  last_message_at: iso.nullable().optional(),
  last_closed_at: iso.nullable().optional(),
  domain: text.optional(),
  referer: text.optional(),
  channel: channel.optional(),
  last_message_text: text.optional(),
  tags: z.array(z.unknown()).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  assigned_agent_ids: z.array(id).optional(),
  rating: integer.nullable().optional(),
  rating_text: text.optional(),
  close_type: text.optional(),
  closed_by_agent_id: id.nullable().optional(),
  contact_name: text.optional(),
  contact_email: text.optional(),
  contact_avatar_url: text.optional(),
  location_country: text.optional(),
  location_city: text.optional(),
  location_ip: text.optional(),
  location_code: text.optional(),
})

const content = z.union([
  z.string(),
  z.strictObject({
    type: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    data: z.unknown().optional(),
  }),
])

const message = z.strictObject({
  id,
  conversation_id: id,
  created_at: iso,
  updated_at: iso,
  sub_type: z.string().optional(),
  type: z.string().optional(),
  content: content.optional(),
  author_name: text.optional(),
  trigger_name: text.optional(),
  trigger_id: id.nullable().optional(),
  page_url: text.optional(),
  agent_id: id.nullable().optional(),
  visitor_id: id.nullable().optional(),
  delivery_status: text.optional(),
  delivered_at: iso.nullable().optional(),
  is_offline: z.boolean().optional(),
  is_reply: z.boolean().optional(),
  is_first_reply: z.boolean().optional(),
  response_time: integer.nullable().optional(),
  attachments: z.array(z.unknown()).optional(),
})

const contact = z.strictObject({
  id,
  created_at: iso,
  updated_at: iso,
  email: text.optional(),
  name: text.optional(),
  phone: text.optional(),
  note: text.optional(),
  banned_at: iso.nullable().optional(),
  banned_by: id.nullable().optional(),
  gdpr_approved: z.boolean().optional(),
  tags: z.array(z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
})

const conversationData = z.strictObject({ conversation })
const replyData = z.strictObject({ conversation, message })
const deliveryData = z.strictObject({ message })
const contactData = z.strictObject({ contact })
const presenceData = z.strictObject({ conversation_id: id, agent_id: id })

/** Each known event's `data`, as `WEBHOOK_EVENT_DATA` in src/codecs/webhook/webhook-event.ts. */
const DATA = {
  'conversation.opened': conversationData,
  'conversation.closed': z.strictObject({ conversation, close_type: text, agent_id: id.nullable() }),
  'conversation.closed_by_contact': conversationData,
  'conversation.rated': z.strictObject({ conversation, rating_value: integer, rating_text: text }),
  'conversation.agent_assigned': z.strictObject({ conversation, assigned: id }),
  'conversation.agent_unassigned': conversationData,
  'conversation.agent_joined': presenceData,
  'conversation.agent_left': presenceData,
  'conversation.agent_replied': replyData,
  'conversation.contact_replied': replyData,
  'conversation.bot_replied': replyData,
  'conversation.message_delivered': deliveryData,
  'conversation.message_delivery_failed': deliveryData,
  'contact.created': contactData,
  'contact.updated': contactData,
  'contact.acquired': contactData,
  'contact.banned': contactData,
  'contact.unbanned': contactData,
} as const

const KNOWN: ReadonlySet<string> = new Set(Object.keys(DATA))

const envelope = {
  type: z.literal('event_callback').optional(),
  timestamp: iso,
  account_id: id,
  app_id: id,
}

const known = Object.entries(DATA).map(([name, data]) =>
  z.strictObject({ ...envelope, event: z.literal(name), data }),
)

/**
 * A webhook event in zod 4: a discriminated union on `event` over the known events, and any other
 * event name with an object `data` (accepted, as `parseWebhookEvent` accepts unknown events).
 */
export const zodWebhookEvent = z.union([
  z.discriminatedUnion('event', known as unknown as [(typeof known)[0], ...typeof known]),
  z.strictObject({
    ...envelope,
    event: z.string().refine((name) => !KNOWN.has(name)),
    data: z.record(z.string(), z.unknown()),
  }),
])
