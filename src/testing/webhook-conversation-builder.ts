import type { WebhookConversationPayload } from '../codecs/webhook/conversation.js'
import type { WebhookMessagePayload } from '../codecs/webhook/message.js'
import type { KnownWebhookEventName, WebhookEventPayload } from '../codecs/webhook/webhook-event.js'
import { DEFAULT_GAP_MS, DEFAULT_START_AT } from './conversation-builder.js'

/** Options of `webhookConversation()`. All are optional and every default is fixed, so builds are deterministic. */
export interface WebhookConversationOptions {
  /** `data.conversation.id`. Default `"conv-001"`. */
  readonly id?: string
  /** Default `"881987"`, as in the documented envelope. */
  readonly accountId?: string
  /** Default `"ap40qUkYi"`, as in the documented envelope. */
  readonly appId?: string
  /** `contact_id`. Default `"cont-001"`. */
  readonly contactId?: string
  /** `visitor_id`. Default `"vis-001"`. */
  readonly visitorId?: string
  /** `contact_name` and the contact's `author_name`; `null` for an anonymous contact. Default `"Jana Nováková"`. */
  readonly contactName?: string | null
  /** When the first event happens, in epoch ms or a `Date`. Default `DEFAULT_START_AT` (2024-03-14T09:30:00Z). */
  readonly startAt?: number | Date
  /** Time between two events unless a step says otherwise, in ms. Default `DEFAULT_GAP_MS` (5 s). */
  readonly gapMs?: number
}

/** An agent: its id (`"11"`), or its id and the name its replies carry as `author_name`. */
export type WebhookAgent = string | { readonly id: string; readonly name?: string }

/** Options of one step. */
export interface WebhookStepOptions {
  /** Milliseconds after the previous event (the first event: after `startAt`). Default `gapMs`; 0 for the first. */
  readonly after?: number
}

/** The conversation as the events so far left it (internal). */
interface State {
  readonly o: Required<WebhookConversationOptions>
  at: number
  events: WebhookEventPayload[]
  status: string
  assigned: string[]
  messages: number
  lastMessageAt: number | null
  lastMessageText: string | null
  /** The first contact message no agent has answered yet, in epoch ms. */
  waitingSince: number | null
  /** The last contact message, for `unread`. */
  lastFromContact: boolean
  agentReplied: boolean
  lastMessage: { id: string; createdAt: number } | null
  rating: number | null
  ratingText: string | null
  closed: { at: number; type: string; agentId: string | null } | null
}

type Step = (s: State) => void

const iso = (ms: number) => new Date(ms).toISOString()
const agentId = (agent: WebhookAgent) => (typeof agent === 'string' ? agent : agent.id)
const agentName = (agent: WebhookAgent) => (typeof agent === 'string' ? null : (agent.name ?? null))

/**
 * An immutable builder of consistent webhook event sequences for one conversation: every step
 * returns a new builder, so a shared base can branch, and `build()` writes the events, in order,
 * with ids, times, `assigned_agent_ids`, `response_time` and `is_first_reply` agreeing. Each
 * step is one event, `after` ms (default `gapMs`) after the previous one.
 */
export class WebhookConversationBuilder {
  readonly #options: Required<WebhookConversationOptions>
  readonly #steps: readonly Step[]

  /** Use `webhookConversation(options)`. */
  constructor(options: Required<WebhookConversationOptions>, steps: readonly Step[] = []) {
    this.#options = options
    this.#steps = steps
  }

  #then(options: WebhookStepOptions, step: Step): WebhookConversationBuilder {
    const after = options.after
    if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) {
      throw new TypeError(
        `smartsupp-hook/testing: { after } must be whole milliseconds >= 0, got ${String(after)}`,
      )
    }
    const first = this.#steps.length === 0
    const timed: Step = (s) => {
      s.at += after ?? (first ? 0 : s.o.gapMs)
      step(s)
    }
    return new WebhookConversationBuilder(this.#options, [...this.#steps, timed])
  }

  /** `conversation.opened`: status `open`. */
  opened(options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      s.status = 'open'
      emit(s, 'conversation.opened', { conversation: snapshot(s) })
    })
  }

  /** `conversation.contact_replied`: a message from the contact; agents' `response_time` counts from the first unanswered one. */
  contactReplied(text: string, options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      const message = newMessage(s, text, {
        sub_type: 'contact',
        author_name: s.o.contactName,
        visitor_id: s.o.visitorId,
      })
      s.waitingSince ??= s.at
      s.lastFromContact = true
      emit(s, 'conversation.contact_replied', { conversation: snapshot(s), message })
    })
  }

  /** `conversation.bot_replied`: a bot message, `content` `{ text }` as seen; it answers no one. */
  botReplied(
    text: string,
    options: WebhookStepOptions & { readonly botName?: string } = {},
  ): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      const message = newMessage(s, { text }, { sub_type: 'bot', author_name: options.botName ?? 'Bot' })
      emit(s, 'conversation.bot_replied', { conversation: snapshot(s), message })
    })
  }

  /** `conversation.agent_assigned`: the agent joins `assigned_agent_ids`; an open conversation becomes `pending`. */
  agentAssigned(agent: WebhookAgent, options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      assign(s, agentId(agent))
      if (s.status === 'open') s.status = 'pending'
      emit(s, 'conversation.agent_assigned', { conversation: snapshot(s), assigned: agentId(agent) })
    })
  }

  /** `conversation.agent_unassigned`: the agent leaves `assigned_agent_ids`. */
  agentUnassigned(agent: WebhookAgent, options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      s.assigned = s.assigned.filter((id) => id !== agentId(agent))
      emit(s, 'conversation.agent_unassigned', { conversation: snapshot(s) })
    })
  }

  /** `conversation.agent_joined` (two ids, as sent); the builder also counts the agent as assigned from here on. */
  agentJoined(agent: WebhookAgent, options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      assign(s, agentId(agent))
      emit(s, 'conversation.agent_joined', { conversation_id: s.o.id, agent_id: agentId(agent) })
    })
  }

  /** `conversation.agent_left` (two ids); the agent leaves `assigned_agent_ids`. */
  agentLeft(agent: WebhookAgent, options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      s.assigned = s.assigned.filter((id) => id !== agentId(agent))
      emit(s, 'conversation.agent_left', { conversation_id: s.o.id, agent_id: agentId(agent) })
    })
  }

  /**
   * `conversation.agent_replied`: `response_time` is the whole seconds since the first contact
   * message no agent had answered (`null`, and `is_reply` false, when none waits);
   * `is_first_reply` is true for the conversation's first agent reply. Status becomes `served`.
   */
  agentReplied(
    agent: WebhookAgent,
    text: string,
    options: WebhookStepOptions = {},
  ): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      const id = agentId(agent)
      assign(s, id)
      const responseTime = s.waitingSince === null ? null : Math.floor((s.at - s.waitingSince) / 1000)
      const message = newMessage(s, text, {
        sub_type: 'agent',
        author_name: agentName(agent),
        agent_id: id,
        is_reply: responseTime !== null,
        is_first_reply: !s.agentReplied,
        response_time: responseTime,
      })
      s.agentReplied = true
      s.waitingSince = null
      s.lastFromContact = false
      if (s.closed === null) s.status = 'served'
      emit(s, 'conversation.agent_replied', { conversation: snapshot(s), message })
    })
  }

  /** `conversation.message_delivered` of the last message (only its four keys, as sent). */
  messageDelivered(options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => emit(s, 'conversation.message_delivered', { message: delivery(s) }))
  }

  /** `conversation.message_delivery_failed` of the last message. */
  messageDeliveryFailed(options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) =>
      emit(s, 'conversation.message_delivery_failed', { message: delivery(s) }),
    )
  }

  /** `conversation.rated`: `value` (1, 3 or 5 on Smartsupp's scale) and an optional comment, also on the conversation from here on. */
  rated(
    value: number,
    comment: string | null = null,
    options: WebhookStepOptions = {},
  ): WebhookConversationBuilder {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`smartsupp-hook/testing: a rating is a whole number, got ${value}`)
    return this.#then(options, (s) => {
      s.rating = value
      s.ratingText = comment
      emit(s, 'conversation.rated', { conversation: snapshot(s), rating_value: value, rating_text: comment })
    })
  }

  /** `conversation.closed` by an agent (default: the last assigned one, else none): `close_type` `"agent"`. */
  closed(options: WebhookStepOptions & { readonly by?: WebhookAgent } = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      const by = options.by === undefined ? (s.assigned.at(-1) ?? null) : agentId(options.by)
      s.status = 'closed'
      s.closed = { at: s.at, type: 'agent', agentId: by }
      emit(s, 'conversation.closed', { conversation: snapshot(s), close_type: 'agent', agent_id: by })
    })
  }

  /** `conversation.closed_by_contact`: `close_type` `"contact"` on the conversation. */
  closedByContact(options: WebhookStepOptions = {}): WebhookConversationBuilder {
    return this.#then(options, (s) => {
      s.status = 'closed'
      s.closed = { at: s.at, type: 'contact', agentId: null }
      emit(s, 'conversation.closed_by_contact', { conversation: snapshot(s) })
    })
  }

  /** No event: the next one happens `ms` later (plus its own `after`). */
  wait(ms: number): WebhookConversationBuilder {
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw new TypeError(`smartsupp-hook/testing: wait(ms) needs whole milliseconds >= 0, got ${ms}`)
    return new WebhookConversationBuilder(this.#options, [...this.#steps, (s) => (s.at += ms)])
  }

  /** The events, in order, as wire JSON (fresh objects on every call). */
  build(): WebhookEventPayload[] {
    const s: State = {
      o: this.#options,
      at: this.#options.startAt as number,
      events: [],
      status: 'open',
      assigned: [],
      messages: 0,
      lastMessageAt: null,
      lastMessageText: null,
      waitingSince: null,
      lastFromContact: false,
      agentReplied: false,
      lastMessage: null,
      rating: null,
      ratingText: null,
      closed: null,
    }
    for (const step of this.#steps) step(s)
    return s.events
  }
}

function assign(s: State, id: string): void {
  if (!s.assigned.includes(id)) s.assigned = [...s.assigned, id]
}

function emit(s: State, event: KnownWebhookEventName, data: Record<string, unknown>): void {
  s.events.push({
    type: 'event_callback',
    event,
    timestamp: iso(s.at),
    account_id: s.o.accountId,
    app_id: s.o.appId,
    data,
  } as WebhookEventPayload)
}

function newMessage(
  s: State,
  content: WebhookMessagePayload['content'] & {},
  more: Partial<WebhookMessagePayload>,
): WebhookMessagePayload {
  s.messages++
  const id = `${s.o.id}-msg-${String(s.messages).padStart(3, '0')}`
  s.lastMessage = { id, createdAt: s.at }
  s.lastMessageAt = s.at
  s.lastMessageText = typeof content === 'string' ? content : (content.text ?? null)
  return {
    id,
    conversation_id: s.o.id,
    sub_type: 'contact',
    type: 'message',
    content,
    author_name: null,
    trigger_name: null,
    trigger_id: null,
    page_url: null,
    agent_id: null,
    visitor_id: null,
    delivery_status: null,
    delivered_at: null,
    is_offline: false,
    is_reply: false,
    is_first_reply: false,
    response_time: null,
    attachments: [],
    ...more,
    created_at: iso(s.at),
    updated_at: iso(s.at),
  }
}

function delivery(
  s: State,
): Pick<WebhookMessagePayload, 'id' | 'conversation_id' | 'created_at' | 'updated_at'> {
  if (s.lastMessage === null) throw new TypeError('smartsupp-hook/testing: no message to deliver yet')
  return {
    id: s.lastMessage.id,
    conversation_id: s.o.id,
    created_at: iso(s.lastMessage.createdAt),
    updated_at: iso(s.at),
  }
}

/** `data.conversation` after the events so far. */
function snapshot(s: State): WebhookConversationPayload {
  return {
    id: s.o.id,
    ext_id: null,
    subject: null,
    status: s.status,
    unread: s.lastFromContact,
    is_offline: false,
    is_served: s.agentReplied,
    contact_id: s.o.contactId,
    visitor_id: s.o.visitorId,
    finished_at: s.closed === null ? null : iso(s.closed.at),
    last_message_at: s.lastMessageAt === null ? null : iso(s.lastMessageAt),
    last_closed_at: s.closed === null ? null : iso(s.closed.at),
    domain: null,
    referer: null,
    channel: { type: 'chat' },
    last_message_text: s.lastMessageText,
    tags: [],
    variables: {},
    assigned_agent_ids: [...s.assigned],
    rating: s.rating,
    rating_text: s.ratingText,
    close_type: s.closed?.type ?? null,
    closed_by_agent_id: s.closed?.agentId ?? null,
    contact_name: s.o.contactName,
    contact_email: null,
    contact_avatar_url: null,
    location_country: null,
    location_city: null,
    location_ip: null,
    location_code: null,
    created_at: iso(s.o.startAt as number),
    updated_at: iso(s.at),
  }
}

/**
 * Starts a webhook event sequence for one conversation: `webhookConversation().opened()
 * .contactReplied('Hi').agentJoined('11').agentReplied({ id: '11', name: 'Petr' }, 'Hello')
 * .rated(5, 'great').closed().build()` gives the seven events as Smartsupp would POST them,
 * each strictly valid. Deterministic: the same steps give the same events.
 */
export function webhookConversation(options: WebhookConversationOptions = {}): WebhookConversationBuilder {
  const startAt =
    options.startAt instanceof Date ? options.startAt.getTime() : (options.startAt ?? DEFAULT_START_AT)
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS
  if (!Number.isSafeInteger(startAt))
    throw new TypeError('smartsupp-hook/testing: startAt must be a valid time')
  if (!Number.isSafeInteger(gapMs) || gapMs < 0)
    throw new TypeError('smartsupp-hook/testing: gapMs must be whole milliseconds >= 0')
  return new WebhookConversationBuilder({
    id: options.id ?? 'conv-001',
    accountId: options.accountId ?? '881987',
    appId: options.appId ?? 'ap40qUkYi',
    contactId: options.contactId ?? 'cont-001',
    visitorId: options.visitorId ?? 'vis-001',
    contactName: options.contactName === undefined ? 'Jana Nováková' : options.contactName,
    startAt,
    gapMs,
  })
}
