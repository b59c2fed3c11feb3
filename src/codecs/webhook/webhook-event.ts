import * as t from 'io-ts'
import { closedObject } from '../primitives.js'
import {
  AgentAssignedDataPayload,
  AgentPresenceDataPayload,
  ContactEventDataPayload,
  ConversationClosedDataPayload,
  ConversationEventDataPayload,
  ConversationRatedDataPayload,
  MessageDeliveryDataPayload,
  ReplyDataPayload,
} from './event-data.js'
import { IsoTimestamp } from './iso-timestamp.js'
import { WebhookId } from './webhook-id.js'

/**
 * Every event name the spec knows, with the codec of its `data`: the documented list [doc] and
 * the names seen delivered [seen] (shared spec: Events). The decoder, the model's
 * `KnownWebhookEventName` and the fixtures all follow this table; any other name is decoded as
 * an unknown event, never rejected.
 */
export const WEBHOOK_EVENT_DATA = {
  'conversation.opened': ConversationEventDataPayload,
  'conversation.closed': ConversationClosedDataPayload,
  'conversation.closed_by_contact': ConversationEventDataPayload,
  'conversation.rated': ConversationRatedDataPayload,
  'conversation.agent_assigned': AgentAssignedDataPayload,
  'conversation.agent_unassigned': ConversationEventDataPayload,
  'conversation.agent_joined': AgentPresenceDataPayload,
  'conversation.agent_left': AgentPresenceDataPayload,
  'conversation.agent_replied': ReplyDataPayload,
  'conversation.contact_replied': ReplyDataPayload,
  'conversation.bot_replied': ReplyDataPayload,
  'conversation.message_delivered': MessageDeliveryDataPayload,
  'conversation.message_delivery_failed': MessageDeliveryDataPayload,
  'contact.created': ContactEventDataPayload,
  'contact.updated': ContactEventDataPayload,
  'contact.acquired': ContactEventDataPayload,
  'contact.banned': ContactEventDataPayload,
  'contact.unbanned': ContactEventDataPayload,
} as const

/** The event names in `WEBHOOK_EVENT_DATA`. */
export type KnownWebhookEventName = keyof typeof WEBHOOK_EVENT_DATA

/** The envelope keys every event shares, `data` aside. `type` may be absent [seen]. */
const envelope = {
  required: {
    event: t.string,
    timestamp: IsoTimestamp,
    account_id: WebhookId,
    app_id: WebhookId,
  },
  optional: { type: t.literal('event_callback') },
}

/**
 * The envelope of any webhook event, known or not: `data` is any object (shared spec: Envelope).
 * This is what lenient decoding requires of an unknown event.
 */
export const WebhookEnvelopePayload = closedObject(
  'WebhookEnvelopePayload',
  { ...envelope.required, data: t.UnknownRecord },
  envelope.optional,
)
export interface WebhookEnvelopePayload extends t.TypeOf<typeof WebhookEnvelopePayload> {}

function eventCodec<N extends KnownWebhookEventName>(name: N) {
  return closedObject(
    `WebhookEventPayload<${name}>`,
    { ...envelope.required, event: t.literal(name), data: WEBHOOK_EVENT_DATA[name] },
    envelope.optional,
  )
}

/**
 * One known event, strictly: the envelope with `event` fixed and the `data` codec of its name.
 * `WebhookEventPayload` is their union (unknown names fail it; decoding accepts them).
 */
export const WebhookEventPayload = t.union(
  [
    eventCodec('conversation.opened'),
    eventCodec('conversation.closed'),
    eventCodec('conversation.closed_by_contact'),
    eventCodec('conversation.rated'),
    eventCodec('conversation.agent_assigned'),
    eventCodec('conversation.agent_unassigned'),
    eventCodec('conversation.agent_joined'),
    eventCodec('conversation.agent_left'),
    eventCodec('conversation.agent_replied'),
    eventCodec('conversation.contact_replied'),
    eventCodec('conversation.bot_replied'),
    eventCodec('conversation.message_delivered'),
    eventCodec('conversation.message_delivery_failed'),
    eventCodec('contact.created'),
    eventCodec('contact.updated'),
    eventCodec('contact.acquired'),
    eventCodec('contact.banned'),
    eventCodec('contact.unbanned'),
  ],
  'WebhookEventPayload',
)
export type WebhookEventPayload = t.TypeOf<typeof WebhookEventPayload>
