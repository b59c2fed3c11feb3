import * as t from 'io-ts'
import { type ClosedObjectC, closedObject, EpochMillis, nullable } from './primitives.js'
import { AgentRef, SenderRef, SystemRef, VisitorRef } from './sender-ref.js'

const common = {
  content: t.string,
  sentAt: EpochMillis,
  triggeredBy: nullable(t.string),
}
/** `name` may be absent (shared spec: messages[].name). */
const optional = { name: t.string }

/** A message the visitor wrote. */
const VisitorMessageCodec = closedObject(
  'VisitorMessagePayload',
  { type: t.literal('visitor'), from: VisitorRef, ...common },
  optional,
)
export interface VisitorMessagePayload extends t.TypeOf<typeof VisitorMessageCodec> {}
/** The codec type of `VisitorMessagePayload`, named so that hovers show the interface. */
export interface VisitorMessagePayloadC
  extends ClosedObjectC<
    typeof VisitorMessageCodec.required,
    typeof VisitorMessageCodec.optional,
    VisitorMessagePayload
  > {}
export const VisitorMessagePayload: VisitorMessagePayloadC = VisitorMessageCodec

/**
 * A message of type `agent`: written by an agent (`from: "agent:<id>"`), or sent automatically
 * by a trigger (`from: "system"`, `triggeredBy` set).
 */
const AgentMessageCodec = closedObject(
  'AgentMessagePayload',
  { type: t.literal('agent'), from: t.union([AgentRef, SystemRef], 'AgentRef | SystemRef'), ...common },
  optional,
)
export interface AgentMessagePayload extends t.TypeOf<typeof AgentMessageCodec> {}
/** The codec type of `AgentMessagePayload`, named so that hovers show the interface. */
export interface AgentMessagePayloadC
  extends ClosedObjectC<
    typeof AgentMessageCodec.required,
    typeof AgentMessageCodec.optional,
    AgentMessagePayload
  > {}
export const AgentMessagePayload: AgentMessagePayloadC = AgentMessageCodec

/** A system event: `content` holds its code (`agent.join`, `close.visitorClose`, …). */
const SystemMessageCodec = closedObject(
  'SystemMessagePayload',
  { type: t.literal('system'), from: SenderRef, ...common },
  optional,
)
export interface SystemMessagePayload extends t.TypeOf<typeof SystemMessageCodec> {}
/** The codec type of `SystemMessagePayload`, named so that hovers show the interface. */
export interface SystemMessagePayloadC
  extends ClosedObjectC<
    typeof SystemMessageCodec.required,
    typeof SystemMessageCodec.optional,
    SystemMessagePayload
  > {}
export const SystemMessagePayload: SystemMessagePayloadC = SystemMessageCodec

/** One entry of `messages`, discriminated by `type`. */
export type MessagePayload = VisitorMessagePayload | AgentMessagePayload | SystemMessagePayload
/** The codec type of `MessagePayload`, named so that hovers show the union's name. */
export interface MessagePayloadC
  extends t.UnionType<
    [VisitorMessagePayloadC, AgentMessagePayloadC, SystemMessagePayloadC],
    MessagePayload,
    MessagePayload,
    unknown
  > {}
export const MessagePayload: MessagePayloadC = t.union(
  [VisitorMessagePayload, AgentMessagePayload, SystemMessagePayload],
  'MessagePayload',
)

/** The values of `messages[].type`. */
export const MessageType = t.keyof({ visitor: null, agent: null, system: null }, 'MessageType')
export type MessageType = t.TypeOf<typeof MessageType>
