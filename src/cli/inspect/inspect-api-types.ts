// What `smartsupp-hook inspect` serves to its page as JSON: one statement of the shapes, imported
// by the server (which builds them) and the page (which renders them). Types only: no code runs.
import type { ConversationDurations } from '../../helpers/durations.js'
import type { ConversationSummary } from '../../helpers/summary.js'
import type { DecodeIssue } from '../../model/issue.js'

/** Which receiver a delivery was posted to: `/webhooks/smartsupp`, `/hook`, or another path (answered 404). */
export type DeliveryFormat = 'webhook' | 'post-hook' | 'other-path'

/**
 * Whether a delivery is authentic, from the library's own checks: for a webhook,
 * `verifyWebhookSignature` with every `--secret` (`valid` names the secret that matched, 0-based);
 * for a POST hook conversation, the token in its URL; `unverified` when inspect was given no
 * secret (or no token) to check with; `not-read` when the body was refused before it was read.
 */
export type SignatureVerdict =
  | { readonly kind: 'valid'; readonly secretIndex: number; readonly secretCount: number }
  | {
      readonly kind: 'missing' | 'malformed' | 'mismatch' | 'not_raw_body'
      /** The library's message, with what to do about it. */
      readonly message: string
    }
  | { readonly kind: 'unverified'; readonly signed: boolean }
  | { readonly kind: 'token-valid' }
  | { readonly kind: 'token-wrong'; readonly given: boolean }
  | { readonly kind: 'token-not-required' }
  | { readonly kind: 'not-read' }

/** What the library's decoders made of the body. */
export type DecodeVerdict =
  | {
      readonly kind: 'decoded'
      /** `webhook` or `conversation`: what it was decoded as. */
      readonly as: 'webhook' | 'conversation'
      readonly warningCount: number
      readonly warnings: readonly DecodeIssue[]
    }
  | {
      readonly kind: 'invalid'
      readonly as: 'webhook' | 'conversation'
      readonly issueCount: number
      readonly issues: readonly DecodeIssue[]
      readonly message: string
    }
  | {
      readonly kind: 'not-read'
      /** `too-large`, `no-room` (--max-files, --max-total) or `cut-off` (the sender went away). */
      readonly reason: 'too-large' | 'no-room' | 'cut-off'
    }

/** What became of the delivery in the event store. */
export type StoreOutcome =
  /** A new event, appended. */
  | 'stored'
  /** Its key was stored already: a re-delivery, nothing changed. */
  | 'already-stored'
  /** Authentic but undecodable: kept as a poisoned event. */
  | 'poisoned'
  /** Not authentic (or not verified): never enters the store. */
  | 'not-stored'
  /** The store failed (answered 5xx, so Smartsupp re-delivers). */
  | 'store-failed'
  /** A POST hook conversation or another path: the event store is for webhook events. */
  | 'not-an-event'

/** One delivery as the list shows it. */
export interface DeliverySummary {
  /** 1, 2, 3… in order of arrival; `#n` on the page. */
  readonly seq: number
  /** ISO 8601. */
  readonly receivedAt: string
  readonly format: DeliveryFormat
  /** Path and query as received, any token replaced by `***`. */
  readonly path: string
  /** Body bytes received. */
  readonly size: number
  /** Whether the body's bytes are kept (to show, replay and download). */
  readonly kept: boolean
  readonly status: number
  readonly signature: SignatureVerdict
  readonly decode: DecodeVerdict
  /** The webhook event's name, `conversation` for a decoded POST hook body, else `null`. */
  readonly event: string | null
  readonly conversationId: string | null
  /** Who it is about: the contact, the message's author, or the POST hook's visitor; `null` when not told. */
  readonly who: string | null
  /** `webhookEventKey` of a decoded event, `idempotencyKey` of a decoded POST hook conversation. */
  readonly key: string | null
  /** The first earlier authentic delivery with the same key: this one is a re-delivery of it. */
  readonly duplicateOf: number | null
  readonly store: StoreOutcome
}

/** One delivery with everything the detail view shows (the body is fetched on its own). */
export interface DeliveryDetail extends DeliverySummary {
  readonly method: string
  /** Header names and values as received, in order; secrets and tokens replaced by `***`. */
  readonly headers: readonly (readonly [string, string])[]
  /** The answer's JSON body, as sent. */
  readonly answer: string
  /** The decoded model as JSON (dates as ISO strings, `raw` left out), or `null`. */
  readonly model: unknown
  /** The file the body is kept in, relative to `--out`, or `null`. */
  readonly file: string | null
}

/** What the page learns once, at load. */
export interface InspectSession {
  /** Sent back in the `x-inspect-token` header of every state-changing request. */
  readonly actionToken: string
  readonly version: string
  /** How many `--secret`s were given (0: signatures are not verified, nothing is stored). */
  readonly secretCount: number
  /** Whether `--token` guards the page, the API and the POST hook URL. */
  readonly tokenRequired: boolean
  /** Where the event store is (a directory, a URL without its password, or `memory`). */
  readonly store: string
  readonly out: string | null
  readonly settleMs: number
  readonly quietMs: number | null
  /** Whether inspect exports finished conversations itself (its own store, or `--export`). */
  readonly exports: boolean
  /** The receiver URLs to give Smartsupp (or `send`, `replay`, a tunnel). */
  readonly webhookUrl: string
  readonly hookUrl: string
  readonly limits: { readonly maxBytes: number; readonly maxFiles: number; readonly maxTotal: number }
  readonly serverNow: string
}

/** A conversation in the list: from the event store (webhooks) or from a POST hook delivery. */
export interface ConversationItem {
  readonly source: 'webhooks' | 'post-hook'
  readonly id: string
  /** The store's state (`open`, `pending`, …) for webhooks; `null` for the POST hook. */
  readonly state: string | null
  /** When a pending (or open, quiet-bound) conversation is due for export, ISO 8601. */
  readonly dueAt: string | null
  readonly eventCount: number
  readonly lastAt: string
  readonly title: string | null
}

/** One event of a conversation's timeline: a stored event, or a delivery that was not stored. */
export interface TimelineEvent {
  readonly key: string | null
  readonly event: string | null
  /** When it happened (Smartsupp's `timestamp`), ISO 8601. */
  readonly occurredAt: string | null
  /** When it was first received, ISO 8601. */
  readonly receivedAt: string
  /** Its place in the order of arrival, 1-based. */
  readonly arrival: number
  /** It arrived after an event that happened later than it. */
  readonly late: boolean
  /** Every delivery of it, by `seq`: more than one is re-deliveries. */
  readonly deliveries: readonly number[]
  readonly size: number
  /** Why it is poisoned, else `null`. */
  readonly poisoned: string | null
  /** `stored`, or why not (`forged`…) for deliveries that claim this conversation but were refused. */
  readonly stored: boolean
  readonly text: string | null
}

/** One message of an assembled conversation, ready to show. */
export interface MessageView {
  readonly kind: 'visitor' | 'agent' | 'trigger' | 'system'
  readonly label: string
  readonly lines: readonly string[] | null
  readonly sentAt: string
}

/** One agent's share of a conversation (or of all of them). */
export interface AgentShare {
  readonly id: string
  readonly name: string
  readonly messageCount: number
  readonly wordCount: number
  readonly firstResponseMs: number | null
}

/** The conversation the library assembles (webhooks) or decodes (POST hook), ready to show. */
export interface ConversationView {
  readonly summary: ConversationSummary
  readonly durations: ConversationDurations
  readonly agents: readonly AgentShare[]
  readonly messages: readonly MessageView[]
  /** `transcript(conversation)`: the text a CRM note would get. */
  readonly transcript: string
  readonly warnings: readonly DecodeIssue[]
  readonly closedAt: string | null
  readonly closedBy: string | null
}

/** One call of inspect's own `onConversationFinished`. */
export interface ExportRecord {
  readonly at: string
  readonly reason: string
  /** 1 for the first export; 2, 3… when events that came after it made the conversation due again. */
  readonly revision: number
  readonly attempt: number
  readonly owner: string
  readonly messageCount: number
}

/** Everything the conversation view shows. */
export interface ConversationDetail {
  readonly source: 'webhooks' | 'post-hook'
  readonly id: string
  /** The store's record as it is: every field of `StoredConversation`, dates as ISO strings. */
  readonly stored: Readonly<Record<string, unknown>> | null
  readonly state: string | null
  readonly dueAt: string | null
  readonly timeline: readonly TimelineEvent[]
  /** The assembled conversation, or why it could not be assembled. */
  readonly conversation: ConversationView | { readonly error: string } | null
  readonly exports: readonly ExportRecord[]
  readonly serverNow: string
}

/** The overview's figures, over the most recent conversations. */
export interface Overview {
  /** How many conversations the figures cover, and how many there are. */
  readonly counted: number
  readonly total: number
  /** One per answered conversation: its first response, in ms. */
  readonly firstResponsesMs: readonly number[]
  /** Conversations with no agent answer. */
  readonly unanswered: number
  /**
   * Finished conversations per day of `beginAt` (UTC), oldest first: answered (an agent answered
   * the visitor), missed (the visitor wrote and no agent ever answered), offline messages. Still
   * open conversations, and finished ones the visitor never wrote in, are not counted.
   */
  readonly perDay: readonly {
    readonly day: string
    readonly answered: number
    readonly missed: number
    readonly offline: number
  }[]
  readonly perAgent: readonly AgentShare[]
  readonly deliveries: {
    readonly total: number
    readonly authentic: number
    readonly refused: number
    readonly invalid: number
    readonly duplicates: number
  }
}

/** What a replay did: the receiver's answer, or why there was none. */
export type ReplayResult =
  | { readonly status: number; readonly answer: string; readonly signed: boolean }
  | { readonly error: string }
