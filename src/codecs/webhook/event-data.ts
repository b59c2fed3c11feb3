import * as t from 'io-ts'
import { closedObject, Integer, nullable } from '../primitives.js'
import { WebhookContactPayload } from './contact.js'
import { WebhookConversationPayload } from './conversation.js'
import { WebhookMessagePayload } from './message.js'
import { WebhookId } from './webhook-id.js'

/** `data` of `conversation.opened`, `conversation.agent_unassigned`, `conversation.closed_by_contact`. */
export const ConversationEventDataPayload = closedObject('ConversationEventDataPayload', {
  conversation: WebhookConversationPayload,
})
export interface ConversationEventDataPayload extends t.TypeOf<typeof ConversationEventDataPayload> {}

/** `data` of `conversation.closed`: `close_type` e.g. `"agent"`, and the agent who closed it. */
export const ConversationClosedDataPayload = closedObject('ConversationClosedDataPayload', {
  conversation: WebhookConversationPayload,
  close_type: nullable(t.string),
  agent_id: nullable(WebhookId),
})
export interface ConversationClosedDataPayload extends t.TypeOf<typeof ConversationClosedDataPayload> {}

/** `data` of `conversation.rated`: the value (1, 3 or 5 per the REST API) and the comment. */
export const ConversationRatedDataPayload = closedObject('ConversationRatedDataPayload', {
  conversation: WebhookConversationPayload,
  rating_value: Integer,
  rating_text: nullable(t.string),
})
export interface ConversationRatedDataPayload extends t.TypeOf<typeof ConversationRatedDataPayload> {}

/** `data` of `conversation.agent_assigned`: `assigned` is the assigned agent's id. */
export const AgentAssignedDataPayload = closedObject('AgentAssignedDataPayload', {
  conversation: WebhookConversationPayload,
  assigned: WebhookId,
})
export interface AgentAssignedDataPayload extends t.TypeOf<typeof AgentAssignedDataPayload> {}

/** `data` of `conversation.agent_joined` and `conversation.agent_left`: two ids, no conversation object. */
export const AgentPresenceDataPayload = closedObject('AgentPresenceDataPayload', {
  conversation_id: WebhookId,
  agent_id: WebhookId,
})
export interface AgentPresenceDataPayload extends t.TypeOf<typeof AgentPresenceDataPayload> {}

/** `data` of `conversation.agent_replied`, `contact_replied` and `bot_replied`. */
export const ReplyDataPayload = closedObject('ReplyDataPayload', {
  conversation: WebhookConversationPayload,
  message: WebhookMessagePayload,
})
export interface ReplyDataPayload extends t.TypeOf<typeof ReplyDataPayload> {}

/** `data` of `conversation.message_delivered` and `message_delivery_failed` (a message with four keys as seen). */
export const MessageDeliveryDataPayload = closedObject('MessageDeliveryDataPayload', {
  message: WebhookMessagePayload,
})
export interface MessageDeliveryDataPayload extends t.TypeOf<typeof MessageDeliveryDataPayload> {}

/** `data` of the `contact.*` events. */
export const ContactEventDataPayload = closedObject('ContactEventDataPayload', {
  contact: WebhookContactPayload,
})
export interface ContactEventDataPayload extends t.TypeOf<typeof ContactEventDataPayload> {}
