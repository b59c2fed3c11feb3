import type { AgentSender, Sender, VisitorSender } from './sender.js'

/**
 * Event codes of system messages. `agent.join` and `close.visitorClose` are in Smartsupp's
 * documented example (../shared/spec: semantics, system messages); the others follow the same naming for the
 * events Smartsupp's other APIs name (an agent leaving, being assigned or unassigned, an agent
 * closing the chat). Any other code is kept as its string.
 */
export type SystemEvent =
  | 'agent.join'
  | 'agent.leave'
  | 'agent.assign'
  | 'agent.unassign'
  | 'close.agentClose'
  | 'close.visitorClose'
  | (string & {})

interface MessageBase {
  /** Display name of the sender; `null` when the payload has no `name`. May be `""`. */
  readonly name: string | null
  /** The text; for system messages the event code. */
  readonly content: string
  readonly sentAt: Date
  /** Name of the automatic trigger that sent the message; `null` for human messages. */
  readonly triggeredBy: string | null
}

/** A message the visitor wrote. `sender` is null only when lenient decoding could not read `from`. */
export interface VisitorMessage extends MessageBase {
  readonly kind: 'visitor'
  readonly sender: VisitorSender | null
}

/** A message a human agent wrote (`type: "agent"`, `from: "agent:<id>"`, no trigger). */
export interface AgentMessage extends MessageBase {
  readonly kind: 'agent'
  readonly sender: AgentSender
}

/**
 * An automatic message: `type: "agent"` sent by a trigger (`triggeredBy` set) or by the system.
 * It is not written by an agent and counts as no agent's response (shared spec: triggered messages).
 */
export interface TriggerMessage extends MessageBase {
  readonly kind: 'trigger'
  readonly sender: Sender | null
}

/** A system event such as `agent.join` (sender: the agent) or `close.visitorClose`. */
export interface SystemMessage extends MessageBase {
  readonly kind: 'system'
  readonly sender: Sender | null
  /** The event code, from `content`. Unknown codes are kept as they are. */
  readonly event: SystemEvent
}

/** One entry of a conversation, discriminated by `kind`. */
export type Message = VisitorMessage | AgentMessage | TriggerMessage | SystemMessage
/** The values of `Message['kind']`. */
export type MessageKind = Message['kind']
