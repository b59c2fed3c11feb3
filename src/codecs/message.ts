import * as t from 'io-ts'
import { closedObject, EpochMillis, nullable } from './primitives.js'
import { AgentRef, SenderRef, SystemRef, VisitorRef } from './sender-ref.js'

const common = {
  content: t.string,
  sentAt: EpochMillis,
  triggeredBy: nullable(t.string),
}
/** `name` may be absent (shared spec: messages[].name). */
const optional = { name: t.string }

/** A message the visitor wrote. */
export const VisitorMessagePayload = closedObject(
  'VisitorMessagePayload',
  { type: t.literal('visitor'), from: VisitorRef, ...common },
  optional,
)
export interface VisitorMessagePayload extends t.TypeOf<typeof VisitorMessagePayload> {}

/**
 * A message of type `agent`: written by an agent (`from: "agent:<id>"`), or sent automatically
 * by a trigger (`from: "system"`, `triggeredBy` set).
 */
export const AgentMessagePayload = closedObject(
  'AgentMessagePayload',
  { type: t.literal('agent'), from: t.union([AgentRef, SystemRef], 'AgentRef | SystemRef'), ...common },
  optional,
)
export interface AgentMessagePayload extends t.TypeOf<typeof AgentMessagePayload> {}

/** A system event: `content` holds its code (`agent.join`, `close.visitorClose`, …). */
export const SystemMessagePayload = closedObject(
  'SystemMessagePayload',
  { type: t.literal('system'), from: SenderRef, ...common },
  optional,
)
export interface SystemMessagePayload extends t.TypeOf<typeof SystemMessagePayload> {}

/** One entry of `messages`, discriminated by `type`. */
export const MessagePayload = t.union(
  [VisitorMessagePayload, AgentMessagePayload, SystemMessagePayload],
  'MessagePayload',
)
export type MessagePayload = VisitorMessagePayload | AgentMessagePayload | SystemMessagePayload

/** The values of `messages[].type`. */
export const MessageType = t.keyof({ visitor: null, agent: null, system: null }, 'MessageType')
export type MessageType = t.TypeOf<typeof MessageType>
