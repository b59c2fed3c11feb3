import {
  type JsonObject,
  type WebhookContact,
  type WebhookConversation,
  type WebhookEvent,
  type WebhookMessage,
  type WebhookRating,
  type WebhookSender,
  webhookEventKey,
} from '../index.js'

/**
 * What `show` and `listen` tell about one webhook event, whatever its name: `null` where the
 * event does not carry it. `author` is who wrote the message (`agent Petr Svoboda (11)`),
 * `text` the message's text; `key` is `webhookEventKey(event)`, the de-duplication key.
 */
export interface WebhookEventSummary {
  readonly event: string
  /** False for an event name the spec does not know: accepted, its `data` kept as sent. */
  readonly known: boolean
  readonly time: Date | null
  readonly accountId: string | null
  readonly appId: string | null
  readonly conversationId: string | null
  readonly conversationStatus: string | null
  readonly contact: string | null
  readonly messageId: string | null
  readonly author: string | null
  readonly text: string | null
  readonly responseTimeSeconds: number | null
  readonly firstReply: boolean | null
  readonly rating: WebhookRating | null
  readonly closeType: string | null
  /** The agent who closed, joined or left, or was assigned. */
  readonly agentId: string | null
  /** For an unknown event: the keys of its `data`. */
  readonly dataKeys: readonly string[] | null
  readonly key: string
  readonly warningCount: number
}

interface Parts {
  conversation?: WebhookConversation | null
  conversationId?: string | null
  message?: WebhookMessage | null
  contact?: WebhookContact | null
  rating?: WebhookRating | null
  closeType?: string | null
  agentId?: string | null
}

function partsOf(event: WebhookEvent): Parts {
  if (!event.known) return {}
  switch (event.event) {
    case 'conversation.opened':
    case 'conversation.closed_by_contact':
    case 'conversation.agent_unassigned':
      return { conversation: event.data.conversation }
    case 'conversation.closed':
      return {
        conversation: event.data.conversation,
        closeType: event.data.closeType,
        agentId: event.data.agentId,
      }
    case 'conversation.rated':
      return { conversation: event.data.conversation, rating: event.data.rating }
    case 'conversation.agent_assigned':
      return { conversation: event.data.conversation, agentId: event.data.assignedAgentId }
    case 'conversation.agent_joined':
    case 'conversation.agent_left':
      return { conversationId: event.data.conversationId, agentId: event.data.agentId }
    case 'conversation.agent_replied':
    case 'conversation.contact_replied':
    case 'conversation.bot_replied':
      return { conversation: event.data.conversation, message: event.data.message }
    case 'conversation.message_delivered':
    case 'conversation.message_delivery_failed':
      return { message: event.data.message }
    case 'contact.created':
    case 'contact.updated':
    case 'contact.acquired':
    case 'contact.banned':
    case 'contact.unbanned':
      return { contact: event.data.contact }
  }
}

function person(name: string | null | undefined, email: string | null | undefined): string | null {
  if (!name && !email) return null
  return `${name || 'no name'}${email ? ` <${email}>` : ''}`
}

function authorOf(sender: WebhookSender | null): string | null {
  if (sender === null) return null
  const named = (name: string | null, id: string | null) =>
    `${name ?? ''}${name !== null && id !== null ? ' ' : ''}${id === null ? '' : `(${id})`}`.trim()
  switch (sender.kind) {
    case 'agent':
      return `agent ${named(sender.name, sender.agentId)}`.trim()
    case 'contact':
      return `contact ${sender.name ?? ''}`.trim()
    case 'bot':
      return `bot ${sender.name ?? ''}`.trim()
    case 'trigger':
      return `trigger ${named(sender.name, sender.triggerId)}`.trim()
    case 'system':
      return 'system'
  }
}

/** The summary of one event (see `WebhookEventSummary`). */
export function webhookEventSummary(event: WebhookEvent): WebhookEventSummary {
  const p = partsOf(event)
  const c = p.conversation ?? null
  const m = p.message ?? null
  const rating = p.rating ?? c?.rating ?? null
  return {
    event: event.event,
    known: event.known,
    time: event.timestamp,
    accountId: event.accountId,
    appId: event.appId,
    conversationId: c?.id ?? p.conversationId ?? m?.conversationId ?? null,
    conversationStatus: c?.status ?? null,
    contact: p.contact ? person(p.contact.name, p.contact.email) : person(c?.contactName, c?.contactEmail),
    messageId: m?.id ?? null,
    author: m === null ? null : (authorOf(m.sender) ?? m.authorName),
    text: m?.text ?? null,
    responseTimeSeconds: m?.responseTimeSeconds ?? null,
    firstReply: m?.isFirstReply ?? null,
    rating,
    closeType: p.closeType ?? null,
    agentId: p.agentId ?? null,
    dataKeys: event.known ? null : Object.keys(event.data as JsonObject),
    key: webhookEventKey(event),
    warningCount: event.warningCount,
  }
}

/** The summary as label/value pairs for `show` (only what the event carries), times through `time`. */
export function webhookEventFacts(s: WebhookEventSummary, time: (date: Date) => string): [string, string][] {
  const facts: [string, string][] = []
  const add = (label: string, value: string | null) => {
    if (value !== null) facts.push([label, value])
  }
  add('kind', s.known ? 'webhook event' : 'webhook event the spec does not know (accepted, data as sent)')
  add('time', s.time === null ? 'not told' : time(s.time))
  add('account', s.accountId)
  add('app', s.appId)
  add(
    'conversation',
    s.conversationId === null
      ? null
      : `${s.conversationId}${s.conversationStatus === null ? '' : ` (${s.conversationStatus})`}`,
  )
  add('contact', s.contact)
  add('message', s.messageId)
  add('author', s.author)
  add('text', s.text)
  if (s.responseTimeSeconds !== null)
    add('response time', `${s.responseTimeSeconds} s${s.firstReply === true ? ' (first reply)' : ''}`)
  add(
    'rating',
    s.rating === null ? null : `${s.rating.value}/5${s.rating.comment ? ` "${s.rating.comment}"` : ''}`,
  )
  add('close type', s.closeType)
  add('agent', s.agentId)
  add('data keys', s.dataKeys === null ? null : s.dataKeys.join(', ') || 'none')
  add('key', s.key)
  add('warnings', String(s.warningCount))
  return facts
}

/** One line for `check` and `listen`: the event name, its conversation (or contact) and a short text. */
export function webhookEventLine(s: WebhookEventSummary): string {
  const parts = [`webhook ${s.event}${s.known ? '' : ' (unknown event, kept as sent)'}`]
  if (s.conversationId !== null) parts.push(`conversation ${s.conversationId}`)
  else if (s.contact !== null) parts.push(`contact ${s.contact}`)
  if (s.author !== null) parts.push(s.author)
  if (s.text !== null) parts.push(JSON.stringify(s.text.length > 60 ? `${s.text.slice(0, 59)}…` : s.text))
  if (s.rating !== null) parts.push(`rated ${s.rating.value}/5`)
  return parts.join(', ')
}
