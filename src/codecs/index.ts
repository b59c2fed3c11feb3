export { ChannelPayload } from './channel.js'
export { ConversationPayload } from './conversation.js'
export {
  LegacyConversationPayload,
  LegacyMessagePayload,
  LegacySenderRef,
  LegacyVisitorPayload,
} from './legacy.js'
export {
  AgentMessagePayload,
  MessagePayload,
  MessageType,
  SystemMessagePayload,
  VisitorMessagePayload,
} from './message.js'
export { PathPayload } from './path.js'
export { type ClosedObjectC, closedObject, EpochMillis, Integer, nullable } from './primitives.js'
export { AgentRef, SenderRef, SystemRef, VisitorRef } from './sender-ref.js'
export { VisitorPayload, VisitorVariablePayload, VisitorVariablesPayload } from './visitor.js'
