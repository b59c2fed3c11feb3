/**
 * smartsupp-hook: typed, trustworthy data from Smartsupp's POST hook.
 * Every export here is a promise; anything not exported is internal.
 *
 * @module smartsupp-hook
 */

// One conversation assembled from its webhook events.
export { type AssembleOptions, assembleConversation } from './assemble/assemble-conversation.js'
export { assembleConversationOrThrow } from './assemble/assemble-conversation-or-throw.js'
// Wire format: io-ts codecs, one per documented object, and their static types.
export * from './codecs/index.js'
// Webhooks (the signed, event-based successor of the POST hook): codecs, decoding, model, helpers, signature.
export * from './codecs/webhook/index.js'
export { decodeConversation } from './decode/decode-conversation.js'
// Decoding.
export type { DecodeFailure } from './decode/decode-failure.js'
export type { DecodeMode, DecodeOptions } from './decode/options.js'
export { decodeConversationOrThrow, parseConversationOrThrow } from './decode/or-throw.js'
export { parseConversation, type RequestBody } from './decode/parse-conversation.js'
export { SmartsuppDecodeError } from './decode/smartsupp-decode-error.js'
export { decodeWebhookEvent } from './decode/webhook/decode-webhook-event.js'
export { encodeWebhookEvent } from './decode/webhook/encode-webhook-event.js'
export { parseWebhookEvent } from './decode/webhook/parse-webhook-event.js'
export { decodeWebhookEventOrThrow, parseWebhookEventOrThrow } from './decode/webhook/webhook-or-throw.js'
// Helpers over a Conversation.
export * from './helpers/index.js'
export { type HumanReply, isHumanReply } from './helpers/is-human-reply.js'
export { webhookEventKey } from './helpers/webhook-event-key.js'
// The domain model.
export type {
  AssembledConversation,
  Conversation,
  ConversationBase,
  ConversationFlags,
  PostHookConversation,
  Rating,
  ReportedFigures,
  VisitedPage,
  Visitor,
  VisitorVariable,
} from './model/conversation.js'
export { encodeConversation } from './model/encode-conversation.js'
export type { DecodeIssue, IssueCode } from './model/issue.js'
export type { JsonArray, JsonObject, JsonValue } from './model/json.js'
export type {
  AgentMessage,
  Message,
  MessageKind,
  SystemEvent,
  SystemMessage,
  TriggerMessage,
  VisitorMessage,
} from './model/message.js'
export type { AgentSender, Sender, SystemSender, VisitorSender } from './model/sender.js'
export type {
  AgentAssignedData,
  AgentPresenceData,
  ContactEventData,
  ConversationClosedData,
  ConversationEventData,
  ConversationRatedData,
  KnownWebhookEvent,
  MessageDeliveryData,
  ReplyData,
  UnknownWebhookEvent,
  WebhookChannel,
  WebhookContact,
  WebhookConversation,
  WebhookConversationStatus,
  WebhookEvent,
  WebhookEventBase,
  WebhookEventDataMap,
  WebhookEventOf,
  WebhookMessage,
  WebhookMessageContentObject,
  WebhookRating,
  WebhookSender,
} from './model/webhook-event.js'
export {
  type SignedBody,
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookSecret,
  type WebhookSignatureFailure,
  type WebhookSignatureResult,
} from './receive/verify-webhook-signature.js'
