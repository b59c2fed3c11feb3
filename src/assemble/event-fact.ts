import type { Rating, VisitorVariable } from '../model/conversation.js'
import type { DecodeIssue } from '../model/issue.js'
import type { WebhookEvent } from '../model/webhook-event.js'

/** A conversation id an event carries, and where (a wire path inside the event, e.g. `data.conversation.id`). */
export interface CarriedId {
  readonly path: string
  readonly id: string
}

/** What assembly reads of `data.conversation` (internal); times are epoch milliseconds. */
export interface ConversationFact {
  /** As found (checked to be a string where it is used as an id). */
  readonly id: unknown
  readonly createdMs: number | null
  readonly finishedMs: number | null
  readonly lastClosedMs: number | null
  readonly isOffline: boolean | null
  readonly visitorId: string | null
  readonly contactName: string | null
  readonly contactEmail: string | null
  readonly locationIp: string | null
  readonly locationCity: string | null
  readonly locationCode: string | null
  readonly locationCountry: string | null
  readonly referer: string | null
  /** The scalar variables, prototype-less; `null` when `variables` was not told. */
  readonly variables: Readonly<Record<string, VisitorVariable>> | null
  /** Keys of variables whose value is not a string, number or boolean (left out), with what they held. */
  readonly skippedVariables: readonly { readonly key: string; readonly value: unknown }[]
  readonly rating: Rating | null
  readonly closedByAgentId: string | null
}

/** What assembly reads of `data.message` (internal); times are epoch milliseconds. */
export interface MessageFact {
  readonly id: string | null
  /** As found (checked to be a string where it is used as an id). */
  readonly conversationId: unknown
  readonly createdMs: number | null
  readonly updatedMs: number | null
  readonly subType: string | null
  readonly type: string | null
  readonly authorName: string | null
  readonly triggerName: string | null
  readonly agentId: string | null
  readonly visitorId: string | null
  readonly text: string | null
}

/**
 * Everything assembly needs from one event, read once into plain values (internal): the rest of
 * assembly never touches the caller's objects again, so a getter cannot answer twice differently.
 */
export interface EventFact {
  /** The position in the caller's array (failure paths use it). */
  readonly input: number
  /** The event itself, kept as given in `AssembledConversation.events`. */
  readonly event: WebhookEvent
  /** `webhookEventKey(event)`: equal for re-deliveries. */
  readonly key: string
  readonly name: string
  /** A known `conversation.*` event: the only kind that tells anything about the conversation. */
  readonly tells: boolean
  /** `timestamp`, epoch milliseconds. */
  readonly timeMs: number | null
  readonly accountId: string | null
  /** Every conversation id the event carries (none for `contact.*` and unknown events). */
  readonly ids: readonly CarriedId[]
  readonly conversation: ConversationFact | null
  readonly message: MessageFact | null
  /** `agent_id` of `agent_joined`, `agent_left` and `closed`; `assigned` of `agent_assigned`. */
  readonly agentId: string | null
  /** `rating_value` and `rating_text` of `conversation.rated`. */
  readonly rating: Rating | null
  readonly warnings: readonly DecodeIssue[]
  readonly warningCount: number
}
