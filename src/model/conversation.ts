import type { DecodeIssue } from './issue.js'
import type { JsonObject } from './json.js'
import type { Message } from './message.js'

/**
 * Smartsupp's flags for the conversation (shared spec: channel.is*). `null` only when lenient
 * decoding met a missing or mistyped flag; the helpers read `null` as `false`.
 */
export interface ConversationFlags {
  /** Both the visitor and an agent sent a message. */
  readonly isChat: boolean | null
  /** No agent answered the visitor's last message. */
  readonly isMissed: boolean | null
  /** At least one automatic (triggered) message. */
  readonly isTriggered: boolean | null
  /** The visitor left an offline message. */
  readonly isOffline: boolean | null
  /** Closed, and an agent answered every visitor message. */
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
  readonly id: number | null
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
 * One conversation from the POST hook: a finished chat, a missed one or an offline message.
 * Read-only by type; `raw` is the JSON value exactly as received, unknown fields included.
 */
export interface Conversation {
  /** The conversation id (`channel.id`). */
  readonly id: number
  readonly accountId: number
  readonly beginAt: Date
  readonly endAt: Date
  readonly flags: ConversationFlags
  readonly reported: ReportedFigures
  /** `null` when the visitor did not rate. */
  readonly rating: Rating | null
  /** `null` only when lenient decoding met a missing or non-object `visitor`. */
  readonly visitor: Visitor | null
  /** `null` only when lenient decoding met a missing or non-array `paths`. */
  readonly paths: readonly VisitedPage[] | null
  /** Oldest first, in the order Smartsupp sent them. */
  readonly messages: readonly Message[]
  /** What lenient decoding accepted but did not expect (at most `maxIssues`); empty in strict mode. */
  readonly warnings: readonly DecodeIssue[]
  /** How many warnings were found in all, including those beyond `warnings.length`. */
  readonly warningCount: number
  /** The JSON value as received. It is the decoder's input itself, not a copy. */
  readonly raw: JsonObject
}
