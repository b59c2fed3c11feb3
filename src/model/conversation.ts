import type { DecodeIssue } from './issue.js'
import type { JsonObject } from './json.js'
import type { Message } from './message.js'
import type { WebhookEvent } from './webhook-event.js'

/**
 * Smartsupp's flags for the conversation (shared spec: channel.is*). `null` only when lenient
 * decoding met a missing or mistyped flag; the helpers read `null` as `false`.
 */
export interface ConversationFlags {
  /** Both the visitor and an agent sent a message. */
  readonly isChat: boolean | null
  /** The visitor wrote and no agent answered (as in Smartsupp's documented example; see `isMissed`). */
  readonly isMissed: boolean | null
  /** At least one automatic (triggered) message. */
  readonly isTriggered: boolean | null
  /** The visitor left an offline message. */
  readonly isOffline: boolean | null
  /** Closed, and an agent answered the visitor. */
  readonly isCompleted: boolean | null
  /** The chat was interrupted. */
  readonly isDropped: boolean | null
}

/**
 * Figures as Smartsupp computed and sent them (whole seconds, rounded down; counts as Smartsupp
 * counts). `null` when lenient decoding met a missing or mistyped value.
 */
export interface ReportedFigures {
  readonly durationSeconds: number | null
  readonly averageResponseSeconds: number | null
  readonly firstResponseSeconds: number | null
  readonly messageCount: number | null
  readonly wordCount: number | null
}

/**
 * The visitor's rating (shared spec: channel.rating, channel.ratingDesc): `value` 1 (worst) to 5
 * (best) and the comment, which may be `""`. Newer
 * Smartsupp widgets rate on a three-step scale sent as 1, 3 or 5; the value is kept as sent, an
 * integer on the same 1–5 scale.
 */
export interface Rating {
  readonly value: number
  readonly comment: string | null
}

/**
 * A value the website passed to the chat box. The documented form is `{ label, value }`
 * (../shared/spec: visitor.variables; the spec shows string and number values); since
 * 2020 the widget also sends flat variables (`{ "User_ID": "1234" }`), read as `label: null`
 * (lenient, with a `newer_form` warning). `value` may be a boolean (Smartsupp's SDKs allow it);
 * a `null` label or value otherwise means it was unreadable (lenient).
 */
export interface VisitorVariable {
  /** `null` for a flat (post-2020) variable, or when the label was missing or mistyped (lenient). */
  readonly label: string | null
  readonly value: string | number | boolean | null
}

/**
 * The visitor. Nullable strings are `null` where Smartsupp sent null or, in lenient mode, where
 * the value was missing or mistyped. `variables` has no prototype, so any key is safe to read.
 */
export interface Visitor {
  /** The legacy hook's numeric `visitor.id` as a string, or a webhook's `visitor_id`. */
  readonly id: string | null
  readonly name: string | null
  readonly email: string | null
  readonly note: string | null
  readonly group: string | null
  readonly ipAddress: string | null
  readonly city: string | null
  readonly countryCode: string | null
  readonly country: string | null
  readonly userAgent: string | null
  readonly platform: string | null
  /** The referrer URL; may be `""`. */
  readonly referer: string | null
  readonly variables: Readonly<Record<string, VisitorVariable>> | null
}

/** A page the visitor went through (shared spec: paths). */
export interface VisitedPage {
  readonly url: string | null
  readonly title: string | null
}

/**
 * What every conversation has, whichever way it reached you: the POST hook sent it whole
 * (`PostHookConversation`), or `assembleConversation` built it from webhook events
 * (`AssembledConversation`). Every helper takes this, so it works on both. Ids are strings in
 * both (the POST hook's numbers are written in decimal).
 */
export interface ConversationBase {
  /** The conversation id: the POST hook's `channel.id` in decimal, or a webhook's `conversation.id`. */
  readonly id: string
  /** The account id: the POST hook's `channel.accountId` in decimal, or a webhook's `account_id`. */
  readonly accountId: string | null
  readonly beginAt: Date
  readonly endAt: Date
  readonly flags: ConversationFlags
  readonly reported: ReportedFigures
  /** `null` when the visitor did not rate. */
  readonly rating: Rating | null
  /** `null` when lenient decoding met a missing or non-object `visitor`, or nothing told of the visitor. */
  readonly visitor: Visitor | null
  /** `null` when lenient decoding met a missing or non-array `paths`, or (webhooks) not told. */
  readonly paths: readonly VisitedPage[] | null
  /** Oldest first: in the order the POST hook sent them, or (webhooks) by their times. */
  readonly messages: readonly Message[]
  /** What lenient decoding accepted but did not expect (at most `maxIssues`); empty in strict mode. */
  readonly warnings: readonly DecodeIssue[]
  /** How many warnings were found in all, including those beyond `warnings.length`. */
  readonly warningCount: number
}

/**
 * One conversation from the POST hook: a finished chat, a missed one or an offline message.
 * Read-only by type; `raw` is the JSON value exactly as received, unknown fields included.
 */
export interface PostHookConversation extends ConversationBase {
  readonly source: 'post-hook'
  /** Always told by the POST hook. */
  readonly accountId: string
  /** The JSON value as received. It is the decoder's input itself, not a copy. */
  readonly raw: JsonObject
}

/**
 * One conversation assembled from its webhook events by `assembleConversation`, in any order and
 * with duplicates. What the events do not tell is `null` (the reported figures, `paths`, the
 * visitor's user agent…); the flags are computed from the messages by the spec's definitions.
 */
export interface AssembledConversation extends ConversationBase {
  readonly source: 'webhooks'
  /** Every distinct event it was assembled from, unknown ones included, oldest first. */
  readonly events: readonly WebhookEvent[]
  /** When it was closed (the first closing event's time); `null` when no closing event was seen. */
  readonly closedAt: Date | null
  /** Who closed it: `conversation.closed` → `agent`, `conversation.closed_by_contact` → `contact`. */
  readonly closedBy: 'agent' | 'contact' | null
}

/** A conversation from either source; narrow on `source` for what only one has. */
export type Conversation = PostHookConversation | AssembledConversation
