export { ChannelPayload, type ChannelPayloadC } from './channel.js'
export { ConversationPayload, type ConversationPayloadC } from './conversation.js'
export {
  LegacyConversationPayload,
  type LegacyConversationPayloadC,
  LegacyMessagePayload,
  type LegacyMessagePayloadC,
  LegacySenderRef,
  LegacyVisitorPayload,
  type LegacyVisitorPayloadC,
} from './legacy.js'
export {
  AgentMessagePayload,
  type AgentMessagePayloadC,
  MessagePayload,
  type MessagePayloadC,
  MessageType,
  SystemMessagePayload,
  type SystemMessagePayloadC,
  VisitorMessagePayload,
  type VisitorMessagePayloadC,
} from './message.js'
export { PathPayload, type PathPayloadC } from './path.js'
export {
  type ClosedObjectC,
  type ClosedOutput,
  type ClosedType,
  closedObject,
  EpochMillis,
  Integer,
  nullable,
} from './primitives.js'
export { AgentRef, SenderRef, SystemRef, VisitorRef } from './sender-ref.js'
export {
  VisitorPayload,
  type VisitorPayloadC,
  VisitorVariablePayload,
  type VisitorVariablePayloadC,
  VisitorVariablesPayload,
} from './visitor.js'
