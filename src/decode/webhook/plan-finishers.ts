import { WebhookConversationPayload } from '../../codecs/webhook/conversation.js'
import { ConversationRatedDataPayload } from '../../codecs/webhook/event-data.js'
import { WebhookMessageContentPayload, WebhookMessagePayload } from '../../codecs/webhook/message.js'
import type { WebhookMessageContentObject, WebhookRating, WebhookSender } from '../../model/webhook-event.js'
import { appendKey } from '../format-path.js'
import { isObject, type Obj } from '../read-fields.js'
import { fieldNamed, finishWith, planOf } from './read-plan.js'
import { fastPath, own, readObject, readValue } from './read-webhook-object.js'

// The fields a model combines or derives, registered on the plans at load. Readers and the
// encoder import `PLANS_FINISHED` and check it, so a bundler that drops modules without used
// exports (the package is `sideEffects: false`) keeps this one wherever plans are used.

/** `rating` and its comment read into one `{ value, comment }`, `null` without a value. */
function rating(value: unknown, comment: unknown): WebhookRating | null {
  return value === null ? null : { value: value as number, comment: comment as string | null }
}

const conversationPlan = planOf(WebhookConversationPayload)
const CONVERSATION_RATING = fieldNamed(conversationPlan, 'rating')
const CONVERSATION_RATING_TEXT = fieldNamed(conversationPlan, 'rating_text')
finishWith(conversationPlan, ['rating', 'rating_text'], ['rating'], (o, out, base, r) => {
  // A plain JSON object (the fast readers' case) holds only own keys: plain loads, no `hasOwn`.
  const plain = fastPath(o)
  const value = readValue(plain ? o.rating : own(o, 'rating'), CONVERSATION_RATING, base, r)
  const comment = readValue(plain ? o.rating_text : own(o, 'rating_text'), CONVERSATION_RATING_TEXT, base, r)
  out.rating = rating(value, comment)
})

const ratedPlan = planOf(ConversationRatedDataPayload)
const RATING_VALUE = fieldNamed(ratedPlan, 'rating_value')
const RATING_TEXT = fieldNamed(ratedPlan, 'rating_text')
finishWith(ratedPlan, ['rating_value', 'rating_text'], ['rating'], (o, out, base, r) => {
  const plain = fastPath(o)
  const value = readValue(plain ? o.rating_value : own(o, 'rating_value'), RATING_VALUE, base, r)
  const comment = readValue(plain ? o.rating_text : own(o, 'rating_text'), RATING_TEXT, base, r)
  out.rating = rating(value, comment)
})

const messagePlan = planOf(WebhookMessagePayload)
const CONTENT = fieldNamed(messagePlan, 'content')
const contentPlan = planOf(WebhookMessageContentPayload)
const SYSTEM: WebhookSender = Object.freeze({ kind: 'system' })
finishWith(messagePlan, ['content'], ['text', 'content', 'sender'], (o, out, base, r) => {
  const content = fastPath(o) ? o.content : own(o, 'content')
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

const LINE_BREAK_TAG = /^<(?:br\s*\/?|\/(?:p|div|li))>$/i

/** Plain text of a short HTML fragment: `<br>` and block ends become line breaks, other tags go. */
export function htmlToText(html: string): string {
  const untagged = withoutTags(html) ?? htmlToTextSlowly(html)
  return (
    untagged.indexOf('&') === -1
      ? untagged
      : untagged.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
  ).trim()
}

/**
 * The fragment with its tags taken out in one scan (a line break for `<br>` and block ends), or
 * `undefined` when a `<` opens inside a tag: only then can the two replacements of the slow path
 * overlap, so only then is it needed. Same result as its first two replacements otherwise.
 */
function withoutTags(html: string): string | undefined {
  let out = ''
  let from = 0
  let open = html.indexOf('<')
  while (open !== -1) {
    const close = html.indexOf('>', open + 1)
    if (close === -1) break
    const next = html.indexOf('<', open + 1)
    if (next !== -1 && next < close) return undefined
    const tag = html.slice(open, close + 1)
    out += html.slice(from, open) + (LINE_BREAK_TAG.test(tag) ? '\n' : '')
    from = close + 1
    open = next
  }
  return from === 0 ? html : out + html.slice(from)
}

/** The general case of `htmlToText`'s tag removal, as regular expressions. */
function htmlToTextSlowly(html: string): string {
  return html.replace(/<br\s*\/?>|<\/(?:p|div|li)>/gi, '\n').replace(/<[^>]*>/g, '')
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

/** `true` once this module has registered the finishers: import it, and check it, to depend on them. */
export const PLANS_FINISHED = true
