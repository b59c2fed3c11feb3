export { WebhookContactPayload } from './contact.js'
export { WebhookChannelPayload, WebhookConversationPayload } from './conversation.js'
export {
  AgentAssignedDataPayload,
  AgentPresenceDataPayload,
  ContactEventDataPayload,
  ConversationClosedDataPayload,
  ConversationEventDataPayload,
  ConversationRatedDataPayload,
  MessageDeliveryDataPayload,
  ReplyDataPayload,
} from './event-data.js'
export { IsoTimestamp } from './iso-timestamp.js'
export { WebhookMessageContent, WebhookMessageContentPayload, WebhookMessagePayload } from './message.js'
export {
  type KnownWebhookEventName,
  WEBHOOK_EVENT_DATA,
  WebhookEnvelopePayload,
  WebhookEventPayload,
} from './webhook-event.js'
export { WebhookId } from './webhook-id.js'
