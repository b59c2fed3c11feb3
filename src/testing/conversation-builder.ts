import type { ConversationPayload } from '../codecs/conversation.js'
import type { MessagePayload } from '../codecs/message.js'
import type { AgentRef, SenderRef } from '../codecs/sender-ref.js'
import type { VisitorPayload } from '../codecs/visitor.js'
import { payloadFigures } from './payload-figures.js'
import { applyPatch, type PayloadPatch } from './payload-patch.js'

/** The builder's fixed clock: 2024-03-14T09:30:00.000Z, in epoch milliseconds. */
export const DEFAULT_START_AT = Date.UTC(2024, 2, 14, 9, 30, 0)
/** Time between two messages unless a step says otherwise: 5 seconds, in milliseconds. */
export const DEFAULT_GAP_MS = 5_000

/** Options of `conversation()`. All are optional and every default is fixed, so builds are deterministic. */
export interface ConversationOptions {
  /** `channel.id`. Default 1000. */
  readonly id?: number
  /** Default 208, as in the documented example. */
  readonly accountId?: number
  /** When the first message is sent, in epoch ms or a `Date`. Default `DEFAULT_START_AT`. */
  readonly startAt?: number | Date
  /** Default time between messages, in ms. Default `DEFAULT_GAP_MS` (5 s). */
  readonly gapMs?: number
  /** The key in `visitor:<key>`. Default `"v1a2b3c4"`. */
  readonly visitorKey?: string
  /** The visitor's name, used in `visitor.name` and message names; `null` for an anonymous visitor. Default `"Jane Roe"`. */
  readonly visitorName?: string | null
}

/** Options of one message step. */
export interface StepOptions {
  /** Milliseconds after the previous message (the first message: after `startAt`). Default `gapMs`; 0 for the first message. */
  readonly after?: number
  /** `messages[].name`; `null` leaves the field out. Defaults: the visitor's or agent's name, `""` for triggers. */
  readonly name?: string | null
}

/** Options of a system event step. */
export interface EventOptions extends StepOptions {
  /** `messages[].from`. Default `"system"`. */
  readonly from?: SenderRef
}

type Step =
  | {
      readonly kind: 'message'
      readonly make: (ctx: BuildContext) => MessagePayload
      readonly after?: number
    }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'set'; readonly apply: (ctx: BuildContext) => void }

interface BuildContext {
  readonly options: Required<ConversationOptions>
  readonly agentNames: Map<number, string>
  sentAt: number
  rating: number | null
  ratingDesc: string | null
  offline: boolean
  dropped: boolean
  patches: unknown[]
}

interface StepList {
  readonly step: Step
  readonly previous: StepList | null
}

/**
 * An immutable builder of consistent payloads: every step returns a new builder, so a shared
 * base can branch. `build()` derives timestamps, flags, `messagesCount` and the reported
 * durations from the messages; `with(patch)` overrides any field afterwards.
 */
export class ConversationBuilder {
  readonly #options: Required<ConversationOptions>
  readonly #steps: StepList | null

  /** Use `conversation(options)`. */
  constructor(options: Required<ConversationOptions>, steps: StepList | null = null) {
    this.#options = options
    this.#steps = steps
  }

  #then(step: Step): ConversationBuilder {
    return new ConversationBuilder(this.#options, { step, previous: this.#steps })
  }

  #message(make: (ctx: BuildContext) => MessagePayload, options: StepOptions): ConversationBuilder {
    if (options.after !== undefined) wholeMs('{ after }', options.after)
    return this.#then(
      options.after === undefined
        ? { kind: 'message', make }
        : { kind: 'message', make, after: options.after },
    )
  }

  /** A message from the visitor. */
  visitor(content: string, options: StepOptions = {}): ConversationBuilder {
    return this.#message(
      (ctx) =>
        named(
          {
            type: 'visitor',
            from: `visitor:${ctx.options.visitorKey}`,
            content,
            sentAt: ctx.sentAt,
            triggeredBy: null,
          },
          options.name === undefined ? ctx.options.visitorName : options.name,
        ),
      options,
    )
  }

  /** Agent `agentId` joins the chat (an `agent.join` event); `name` is used for the agent's later messages. */
  join(agentId: number, name: string, options: StepOptions = {}): ConversationBuilder {
    return this.#message((ctx) => {
      ctx.agentNames.set(agentId, name)
      return named(
        {
          type: 'system',
          from: agentRef(agentId),
          content: 'agent.join',
          sentAt: ctx.sentAt,
          triggeredBy: null,
        },
        options.name === undefined ? name : options.name,
      )
    }, options)
  }

  /** A message written by human agent `agentId`; its name defaults to the one given at `join`, else `Agent <id>`. */
  agent(agentId: number, content: string, options: StepOptions = {}): ConversationBuilder {
    return this.#message(
      (ctx) =>
        named(
          { type: 'agent', from: agentRef(agentId), content, sentAt: ctx.sentAt, triggeredBy: null },
          options.name === undefined ? (ctx.agentNames.get(agentId) ?? `Agent ${agentId}`) : options.name,
        ),
      options,
    )
  }

  /** An automatic message sent by the trigger `triggerName` (`type: "agent"`, `from: "system"`, `name: ""`). */
  trigger(content: string, triggerName = 'Welcome trigger', options: StepOptions = {}): ConversationBuilder {
    return this.#message(
      (ctx) =>
        named(
          { type: 'agent', from: 'system', content, sentAt: ctx.sentAt, triggeredBy: triggerName },
          options.name === undefined ? '' : options.name,
        ),
      options,
    )
  }

  /** A system event with any code, known (`agent.join`, `close.visitorClose`) or not. */
  event(code: string, options: EventOptions = {}): ConversationBuilder {
    return this.#message(
      (ctx) =>
        named(
          {
            type: 'system',
            from: options.from ?? 'system',
            content: code,
            sentAt: ctx.sentAt,
            triggeredBy: null,
          },
          options.name === undefined ? '' : options.name,
        ),
      options,
    )
  }

  /** The visitor closes the chat (`close.visitorClose`, named after the visitor as in the documented example). */
  visitorClose(options: StepOptions = {}): ConversationBuilder {
    return this.#message(
      (ctx) =>
        named(
          {
            type: 'system',
            from: 'system',
            content: 'close.visitorClose',
            sentAt: ctx.sentAt,
            triggeredBy: null,
          },
          options.name === undefined ? (ctx.options.visitorName ?? '') : options.name,
        ),
      options,
    )
  }

  /** Lets `ms` milliseconds pass before the next message (on top of its own gap). */
  wait(ms: number): ConversationBuilder {
    wholeMs('wait(ms)', ms)
    return this.#then({ kind: 'wait', ms })
  }

  /**
   * The visitor's rating, a whole number from 1 (worst) to 5 (best), and comment (`""` when none, as
   * Smartsupp sends it). Any other value is a RangeError; use `with()` to write an out-of-range rating.
   */
  rate(value: number, comment = ''): ConversationBuilder {
    if (!Number.isInteger(value) || value < 1 || value > 5) {
      throw new RangeError(
        `smartsupp-hook/testing: rate(value) must be a whole number from 1 to 5, got ${value}`,
      )
    }
    return this.#then({
      kind: 'set',
      apply: (ctx) => {
        ctx.rating = value
        ctx.ratingDesc = comment
      },
    })
  }

  /** Marks the conversation an offline message (`isOffline`): no agent was online. */
  offline(): ConversationBuilder {
    return this.#then({
      kind: 'set',
      apply: (ctx) => {
        ctx.offline = true
      },
    })
  }

  /**
   * Marks the chat interrupted (`isDropped`). A dropped chat is never completed: `isCompleted` is
   * false even after `visitorClose()` (override it with `with()` if you need both).
   */
  dropped(): ConversationBuilder {
    return this.#then({
      kind: 'set',
      apply: (ctx) => {
        ctx.dropped = true
      },
    })
  }

  /** Overrides any field after the figures are derived: objects merge, arrays and values replace. */
  with(patch: PayloadPatch<ConversationPayload>): ConversationBuilder {
    const copy = structuredClone(patch)
    return this.#then({ kind: 'set', apply: (ctx) => void ctx.patches.push(copy) })
  }

  /** A fresh payload in the current documented form; the same steps always give the same payload. */
  build(): ConversationPayload {
    const steps: Step[] = []
    for (let s = this.#steps; s !== null; s = s.previous) steps.push(s.step)
    steps.reverse()
    const { options } = this
    const ctx: BuildContext = {
      options,
      agentNames: new Map(),
      sentAt: options.startAt as number,
      rating: null,
      ratingDesc: null,
      offline: false,
      dropped: false,
      patches: [],
    }
    const messages: MessagePayload[] = []
    let pendingMs = 0
    for (const step of steps) {
      if (step.kind === 'wait') pendingMs += step.ms
      else if (step.kind === 'set') step.apply(ctx)
      else {
        const gap = step.after ?? (messages.length === 0 ? 0 : options.gapMs)
        ctx.sentAt += gap + pendingMs
        pendingMs = 0
        messages.push(step.make(ctx))
      }
    }
    const beginAt = messages[0]?.sentAt ?? (options.startAt as number)
    const endAt = messages[messages.length - 1]?.sentAt ?? beginAt
    const figures = payloadFigures(messages, beginAt, endAt, ctx.offline)
    const payload: ConversationPayload = {
      accountId: options.accountId,
      beginAt,
      endAt,
      channel: {
        id: options.id,
        ...figures,
        isCompleted: figures.isCompleted && !ctx.dropped,
        isDropped: ctx.dropped,
        rating: ctx.rating,
        ratingDesc: ctx.ratingDesc,
      },
      visitor: defaultVisitor(options.visitorName),
      paths: [{ url: 'https://www.example.com/pricing', title: 'Pricing · Example' }],
      messages,
    }
    for (const patch of ctx.patches) applyPatch(payload, patch)
    return payload
  }

  /** The options this builder was created with, defaults filled in. */
  get options(): Required<ConversationOptions> {
    return this.#options
  }
}

/** Steps only move the clock forward, so messages stay oldest first. */
function wholeMs(what: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TypeError(`smartsupp-hook/testing: ${what} must be whole milliseconds >= 0, got ${ms}`)
  }
}

function agentRef(id: number): AgentRef {
  return `agent:${id}`
}

function named<M extends MessagePayload>(message: M, name: string | null): M {
  // `name` goes first, as Smartsupp writes it; null leaves it out (the spec allows an absent name).
  if (name === null) return message
  const { type, ...rest } = message
  return { type, name, ...rest } as M
}

function defaultVisitor(name: string | null): VisitorPayload {
  return {
    id: 1001,
    name,
    email: name === null ? null : 'jane.roe@example.com',
    note: null,
    group: null,
    ipAddress: '203.0.113.7',
    city: 'Brno',
    countryCode: 'CZ',
    country: 'Czech Republic',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    platform: 'Linux x86_64',
    referer: 'https://www.google.com/',
    variables: {},
  }
}

/**
 * Starts a builder of a consistent payload:
 * `conversation().visitor('Hello').join(3, 'John Doe').agent(3, 'Hi, how can I help?').visitorClose().build()`.
 * Time starts at `DEFAULT_START_AT` and each message comes `DEFAULT_GAP_MS` after the previous one.
 */
export function conversation(options: ConversationOptions = {}): ConversationBuilder {
  const startAt = options.startAt instanceof Date ? options.startAt.getTime() : options.startAt
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS
  for (const [name, value] of [
    ['startAt', startAt],
    ['gapMs', gapMs],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new TypeError(
        `smartsupp-hook/testing: conversation({ ${name} }) must be whole milliseconds, got ${value}`,
      )
    }
  }
  return new ConversationBuilder({
    id: options.id ?? 1000,
    accountId: options.accountId ?? 208,
    startAt: startAt ?? DEFAULT_START_AT,
    gapMs,
    visitorKey: options.visitorKey ?? 'v1a2b3c4',
    visitorName: options.visitorName === undefined ? 'Jane Roe' : options.visitorName,
  })
}
