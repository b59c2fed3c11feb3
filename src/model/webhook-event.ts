import type { KnownWebhookEventName } from '../codecs/webhook/webhook-event.js'
import type { DecodeIssue } from './issue.js'
import type { JsonObject, JsonValue } from './json.js'

export type { KnownWebhookEventName }

/**
 * A rating: `value` as sent (1, 3 or 5 per Smartsupp's REST API, 5 best) and the comment, which
 * may be `null` or `""`.
 */
export interface WebhookRating {
  readonly value: number
  readonly comment: string | null
}

/** Conversation statuses seen (`open`, `closed`, `pending`) and in the REST API (`served`); others kept. */
export type WebhookConversationStatus = 'open' | 'closed' | 'pending' | 'served' | (string & {})

/** `conversation.channel`: `chat` as seen; `default`, `email`, `facebook` in the REST API; others kept. */
export interface WebhookChannel {
  readonly type: 'chat' | 'default' | 'email' | 'facebook' | (string & {}) | null
}

/**
 * `data.conversation` of a webhook event. Every field but the object itself may be `null`: an
 * absent field and `null` both mean "not told" (fields come and go between events), and lenient
 * decoding puts `null` (with a warning) where a value was mistyped. Times are `Date`s.
 */
export interface WebhookConversation {
  readonly id: string | null
  readonly createdAt: Date | null
  readonly updatedAt: Date | null
  readonly extId: string | null
  readonly subject: string | null
  readonly status: WebhookConversationStatus | null
  readonly unread: boolean | null
  readonly isOffline: boolean | null
  readonly isServed: boolean | null
  readonly contactId: string | null
  readonly visitorId: string | null
  readonly finishedAt: Date | null
  readonly lastMessageAt: Date | null
  readonly lastClosedAt: Date | null
  readonly domain: string | null
  /** The referrer URL; can be long (hundreds of characters). */
  readonly referer: string | null
  readonly channel: WebhookChannel | null
  readonly lastMessageText: string | null
  /** As sent; the spec does not say what a tag looks like. */
  readonly tags: readonly JsonValue[] | null
  /** The website's custom visitor data, as sent. */
  readonly variables: JsonObject | null
  readonly assignedAgentIds: readonly string[] | null
  readonly closeType: string | null
  readonly closedByAgentId: string | null
  readonly contactName: string | null
  readonly contactEmail: string | null
  readonly contactAvatarUrl: string | null
  readonly locationCountry: string | null
  readonly locationCity: string | null
  readonly locationIp: string | null
  readonly locationCode: string | null
  /** From `rating` and `rating_text`; `null` when there is no rating value. */
  readonly rating: WebhookRating | null
}

/** Who wrote a message (from `sub_type`); `null` parts were not told. */
export type WebhookSender =
  | { readonly kind: 'contact'; readonly visitorId: string | null; readonly name: string | null }
  | { readonly kind: 'agent'; readonly agentId: string | null; readonly name: string | null }
  | { readonly kind: 'bot'; readonly name: string | null }
  | { readonly kind: 'trigger'; readonly triggerId: string | null; readonly name: string | null }
  | { readonly kind: 'system' }

/** `message.content` in its object form: `{ text }`, `{ html }`, or the REST API's `{ type, text, data }`. */
export interface WebhookMessageContentObject {
  readonly type?: string
  readonly text?: string
  readonly html?: string
  readonly data?: JsonValue
}

/**
 * `data.message`. `text` is the message's text whatever form `content` came in (a string, or an
 * object's `text`, else its `html`); `content` is the original. `null` fields were not told or,
 * in lenient mode, unreadable (with a warning).
 */
export interface WebhookMessage {
  readonly id: string | null
  readonly conversationId: string | null
  readonly createdAt: Date | null
  readonly updatedAt: Date | null
  readonly subType: 'contact' | 'agent' | 'bot' | 'trigger' | 'system' | (string & {}) | null
  /** `message`, `note` (an internal agent note) or `event` per the REST API. */
  readonly type: 'message' | 'note' | 'event' | (string & {}) | null
  readonly authorName: string | null
  readonly triggerName: string | null
  readonly triggerId: string | null
  readonly pageUrl: string | null
  readonly agentId: string | null
  readonly visitorId: string | null
  readonly deliveryStatus: string | null
  readonly deliveredAt: Date | null
  readonly isOffline: boolean | null
  readonly isReply: boolean | null
  readonly isFirstReply: boolean | null
  /** Seconds the agent took to reply (set on agent replies). */
  readonly responseTimeSeconds: number | null
  /** As sent; file links in them expire, so fetch a file soon if you want it. */
  readonly attachments: readonly JsonValue[] | null
  readonly text: string | null
  readonly content: string | WebhookMessageContentObject | null
  /** Parsed from `sub_type` and the id and name fields; `null` for an unknown or absent `sub_type`. */
  readonly sender: WebhookSender | null
}

/** `data.contact` of the `contact.*` events. */
export interface WebhookContact {
  readonly id: string | null
  readonly createdAt: Date | null
  readonly updatedAt: Date | null
  readonly email: string | null
  readonly name: string | null
  readonly phone: string | null
  readonly note: string | null
  readonly bannedAt: Date | null
  readonly bannedBy: string | null
  readonly gdprApproved: boolean | null
  readonly tags: readonly JsonValue[] | null
  readonly properties: JsonObject | null
}

/** `data` of events that carry only the conversation. */
export interface ConversationEventData {
  readonly conversation: WebhookConversation | null
}
/** `data` of `conversation.closed`. */
export interface ConversationClosedData extends ConversationEventData {
  /** e.g. `"agent"`. */
  readonly closeType: string | null
  readonly agentId: string | null
}
/** `data` of `conversation.rated`: `rating` from `rating_value` and `rating_text`. */
export interface ConversationRatedData extends ConversationEventData {
  readonly rating: WebhookRating | null
}
/** `data` of `conversation.agent_assigned` (wire `assigned`). */
export interface AgentAssignedData extends ConversationEventData {
  readonly assignedAgentId: string | null
}
/** `data` of `conversation.agent_joined` and `conversation.agent_left`. */
export interface AgentPresenceData {
  readonly conversationId: string | null
  readonly agentId: string | null
}
/** `data` of the `*_replied` events. */
export interface ReplyData extends ConversationEventData {
  readonly message: WebhookMessage | null
}
/** `data` of `message_delivered` and `message_delivery_failed` (the message has only ids and times). */
export interface MessageDeliveryData {
  readonly message: WebhookMessage | null
}
/** `data` of the `contact.*` events. */
export interface ContactEventData {
  readonly contact: WebhookContact | null
}

/** The model of each known event's `data`. */
export interface WebhookEventDataMap {
  'conversation.opened': ConversationEventData
  'conversation.closed': ConversationClosedData
  'conversation.closed_by_contact': ConversationEventData
  'conversation.rated': ConversationRatedData
  'conversation.agent_assigned': AgentAssignedData
  'conversation.agent_unassigned': ConversationEventData
  'conversation.agent_joined': AgentPresenceData
  'conversation.agent_left': AgentPresenceData
  'conversation.agent_replied': ReplyData
  'conversation.contact_replied': ReplyData
  'conversation.bot_replied': ReplyData
  'conversation.message_delivered': MessageDeliveryData
  'conversation.message_delivery_failed': MessageDeliveryData
  'contact.created': ContactEventData
  'contact.updated': ContactEventData
  'contact.acquired': ContactEventData
  'contact.banned': ContactEventData
  'contact.unbanned': ContactEventData
}

/** What every event carries besides its name and data. */
export interface WebhookEventBase {
  /** `"event_callback"` as documented; `null` when absent (the production receiver's examples omit it). */
  readonly type: string | null
  /** When the event was created; `null` when missing or not an ISO 8601 time (lenient). */
  readonly timestamp: Date | null
  readonly accountId: string | null
  /** The app (integration) whose secret signed the request. */
  readonly appId: string | null
  /** What lenient decoding accepted but did not expect (at most `maxIssues`); empty in strict mode. */
  readonly warnings: readonly DecodeIssue[]
  /** How many warnings were found in all, including those beyond `warnings.length`. */
  readonly warningCount: number
  /** The JSON value as received (the decoder's input itself), unknown fields included. */
  readonly raw: JsonObject
}

/** One known event: `known: true`, its name, and its `data` read into the model. */
export type KnownWebhookEvent = {
  [N in KnownWebhookEventName]: WebhookEventBase & {
    readonly known: true
    readonly event: N
    readonly data: WebhookEventDataMap[N]
  }
}[KnownWebhookEventName]

/**
 * An event whose name the spec does not know (`visitor.*`, `app.*`, a future one): accepted, never
 * rejected, with `data` as received. Check `known` before switching on `event`: TypeScript
 * cannot narrow a `string` discriminant, so `known` is what tells the variants apart.
 */
export interface UnknownWebhookEvent extends WebhookEventBase {
  readonly known: false
  readonly event: string
  readonly data: JsonObject
}

/**
 * A decoded webhook event. `if (!e.known) …` first; after it, `switch (e.event)` narrows each
 * case to its event and `data` type.
 */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent

/** The event of one known name: `WebhookEventOf<'conversation.rated'>`. */
export type WebhookEventOf<N extends KnownWebhookEventName> = Extract<KnownWebhookEvent, { event: N }>
