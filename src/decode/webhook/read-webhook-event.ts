import { WebhookConversationPayload } from '../../codecs/webhook/conversation.js'
import { ConversationRatedDataPayload } from '../../codecs/webhook/event-data.js'
import { WebhookMessageContentPayload, WebhookMessagePayload } from '../../codecs/webhook/message.js'
import { WebhookEnvelopePayload } from '../../codecs/webhook/webhook-event.js'
import type { JsonObject } from '../../model/json.js'
import type {
  WebhookEvent,
  WebhookMessageContentObject,
  WebhookRating,
  WebhookSender,
} from '../../model/webhook-event.js'
import { appendKey } from '../format-path.js'
import { countKeys, isObject, type Obj, reportUnknownKeys } from '../read-fields.js'
import type { Report } from '../report.js'
import { DATA_READERS } from './fast-webhook-readers.js'
import { fieldNamed, finishWith, planOf } from './read-plan.js'
import { checkPrototype, fastPath, own, readDate, readObject, readValue } from './read-webhook-object.js'

const hasOwn = Object.prototype.hasOwnProperty

const ENVELOPE = planOf(WebhookEnvelopePayload)
const TYPE = fieldNamed(ENVELOPE, 'type')
const TIMESTAMP = fieldNamed(ENVELOPE, 'timestamp')
const ACCOUNT_ID = fieldNamed(ENVELOPE, 'account_id')
const APP_ID = fieldNamed(ENVELOPE, 'app_id')

/** `rating` and its comment read into one `{ value, comment }`, `null` without a value. */
function rating(value: unknown, comment: unknown): WebhookRating | null {
  return value === null ? null : { value: value as number, comment: comment as string | null }
}

const conversationPlan = planOf(WebhookConversationPayload)
const CONVERSATION_RATING = fieldNamed(conversationPlan, 'rating')
const CONVERSATION_RATING_TEXT = fieldNamed(conversationPlan, 'rating_text')
finishWith(conversationPlan, ['rating', 'rating_text'], ['rating'], (o, out, base, r) => {
  const value = readValue(own(o, 'rating'), CONVERSATION_RATING, base, r)
  const comment = readValue(own(o, 'rating_text'), CONVERSATION_RATING_TEXT, base, r)
  out.rating = rating(value, comment)
})

const ratedPlan = planOf(ConversationRatedDataPayload)
const RATING_VALUE = fieldNamed(ratedPlan, 'rating_value')
const RATING_TEXT = fieldNamed(ratedPlan, 'rating_text')
finishWith(ratedPlan, ['rating_value', 'rating_text'], ['rating'], (o, out, base, r) => {
  const value = readValue(own(o, 'rating_value'), RATING_VALUE, base, r)
  const comment = readValue(own(o, 'rating_text'), RATING_TEXT, base, r)
  out.rating = rating(value, comment)
})

const messagePlan = planOf(WebhookMessagePayload)
const CONTENT = fieldNamed(messagePlan, 'content')
const contentPlan = planOf(WebhookMessageContentPayload)
const SYSTEM: WebhookSender = Object.freeze({ kind: 'system' })
finishWith(messagePlan, ['content'], ['text', 'content', 'sender'], (o, out, base, r) => {
  const content = own(o, 'content')
  if (isObject(content)) {
    // Checked against its codec for the warnings; the model keeps the object as received.
    readObject(content, contentPlan, appendKey(base, 'content'), r)
    out.text = contentText(content)
    out.content = content as WebhookMessageContentObject
  } else {
    const text = readValue(content, CONTENT, base, r)
    out.text = text
    out.content = text
  }
  out.sender = senderOf(out)
})

/** The text of a content object: its `text`, else its `html` with the tags taken out. */
function contentText(content: Obj): string | null {
  const text = own(content, 'text')
  if (typeof text === 'string') return text
  const html = own(content, 'html')
  return typeof html === 'string' ? htmlToText(html) : null
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
}

/** Plain text of a short HTML fragment: `<br>` and block ends become line breaks, other tags go. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(?:p|div|li)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .trim()
}

/** Who wrote the message, from `sub_type` and the id and name fields already read into `m`. */
function senderOf(m: Record<string, unknown>): WebhookSender | null {
  const name = m.authorName as string | null
  switch (m.subType) {
    case 'contact':
      return { kind: 'contact', visitorId: m.visitorId as string | null, name }
    case 'agent':
      return { kind: 'agent', agentId: m.agentId as string | null, name }
    case 'bot':
      return { kind: 'bot', name }
    case 'trigger':
      return {
        kind: 'trigger',
        triggerId: m.triggerId as string | null,
        name: (m.triggerName as string | null) ?? name,
      }
    case 'system':
      return SYSTEM
    default:
      return null
  }
}

/**
 * The single pass from a JSON value to a `WebhookEvent`. Fails (returns `undefined`, with an
 * error reported) only when the envelope is unusable: not an object, `event` not a string,
 * `data` not an object; or, in strict mode, on any deviation.
 */
export function readWebhookEvent(u: unknown, r: Report): WebhookEvent | undefined {
  if (!isObject(u)) {
    r.error('', 'invalid_type', 'a JSON object', u)
    return undefined
  }
  // Plain loads for a plain JSON object; `own` checks each key of anything else.
  checkPrototype()
  const plain = fastPath(u)
  const event = plain ? u.event : own(u, 'event')
  if (typeof event !== 'string') {
    r.error('event', event === undefined ? 'missing' : 'invalid_type', 'a string (the event name)', event)
  }
  const data = plain ? u.data : own(u, 'data')
  if (!isObject(data)) r.error('data', data === undefined ? 'missing' : 'invalid_type', 'an object', data)
  const rawType = plain ? u.type : own(u, 'type')
  const rawTimestamp = plain ? u.timestamp : own(u, 'timestamp')
  const rawAccountId = plain ? u.account_id : own(u, 'account_id')
  const rawAppId = plain ? u.app_id : own(u, 'app_id')
  const type = (rawType === 'event_callback' ? rawType : readValue(rawType, TYPE, '', r)) as string | null
  const timestamp = readDate(rawTimestamp, TIMESTAMP, '', r) as Date | null
  const accountId = (
    typeof rawAccountId === 'string' ? rawAccountId : readValue(rawAccountId, ACCOUNT_ID, '', r)
  ) as string | null
  const appId = (typeof rawAppId === 'string' ? rawAppId : readValue(rawAppId, APP_ID, '', r)) as
    | string
    | null
  const present =
    (event === undefined ? 0 : 1) +
    (data === undefined ? 0 : 1) +
    (rawType === undefined ? 0 : 1) +
    (rawTimestamp === undefined ? 0 : 1) +
    (rawAccountId === undefined ? 0 : 1) +
    (rawAppId === undefined ? 0 : 1)
  if (countKeys(u) !== present) reportUnknownKeys(u, ENVELOPE.known, '', r)
  if (typeof event !== 'string' || !isObject(data)) return undefined
  const read = hasOwn.call(DATA_READERS, event) ? DATA_READERS[event] : undefined
  const model = read === undefined ? data : read(data, 'data', r)
  if (r.errorCount > 0) return undefined
  return {
    known: read !== undefined,
    event,
    type,
    timestamp,
    accountId,
    appId,
    data: model,
    warnings: r.warnings,
    warningCount: r.warningCount,
    raw: u as JsonObject,
  } as WebhookEvent
}
