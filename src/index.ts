/**
 * smartsupp-hook: typed, trustworthy data from Smartsupp's POST hook.
 * Every export here is a promise; anything not exported is internal.
 */

// Wire format: io-ts codecs, one per documented object, and their static types.
export * from './codecs/index.js'
export { decodeConversation } from './decode/decode-conversation.js'
// Decoding.
export type { DecodeFailure } from './decode/decode-failure.js'
export type { DecodeMode, DecodeOptions } from './decode/options.js'
export { decodeConversationOrThrow, parseConversationOrThrow } from './decode/or-throw.js'
export { parseConversation, type RequestBody } from './decode/parse-conversation.js'
export { SmartsuppDecodeError } from './decode/smartsupp-decode-error.js'

// Helpers over a Conversation.
export * from './helpers/index.js'

// The domain model.
export type {
  Conversation,
  ConversationFlags,
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
