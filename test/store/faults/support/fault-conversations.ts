// The conversations a fault scenario delivers: signed bodies, the key each event is stored under,
// and what each conversation must hold once exported whole.
import { assembleConversationOrThrow, parseWebhookEventOrThrow, signWebhookBody } from 'smartsupp-hook'
import type { WebhookEventPayload } from '../../../../src/codecs/webhook/webhook-event.js'
import { storedEventOf } from '../../../../src/store/stored-event-of.js'
import { webhookConversation } from '../../../../src/testing/webhook-conversation-builder.js'

export const FAULTS_SECRET = 'faults-secret-0123456789abcdef'

/** One event's delivery: what Smartsupp POSTs, and where the store keeps it. */
export interface Delivery {
  readonly conversationId: string
  readonly body: string
  readonly signature: string
  /** The key it is stored under (`storedEventOf(…).key`). */
  readonly key: string
}

/** One conversation: its real id, its id in the store, its events' stored keys and its messages. */
export interface FaultConversation {
  readonly id: string
  readonly storedId: string
  readonly keys: readonly string[]
  readonly messages: number
}

/** What a scenario delivers, in the order things happen. */
export interface FaultLoad {
  readonly conversations: readonly FaultConversation[]
  readonly deliveries: readonly Delivery[]
}

const agent = { id: '7', name: 'Eva' }

/**
 * `count` conversations (ids `<tag>-00`… unless `ids` is given): opened, an agent joins,
 * `messages` messages back and forth, closed.
 */
export async function faultLoad(
  tag: string,
  count: number,
  options: {
    readonly messages?: number
    readonly ids?: readonly string[]
    /** Per conversation (by index): its `account_id`. */
    readonly accountIds?: readonly string[]
    readonly stagger?: number
    /** Rewrites conversation n's events (adds one, say) before they are signed. */
    readonly events?: (n: number, events: WebhookEventPayload[]) => WebhookEventPayload[]
  } = {},
): Promise<FaultLoad> {
  const messages = options.messages ?? 6
  const ids = options.ids ?? Array.from({ length: count }, (_, n) => `${tag}-${String(n).padStart(2, '0')}`)
  const conversations: FaultConversation[] = []
  const perConversation: Delivery[][] = []
  for (const [n, id] of ids.entries()) {
    const accountId = options.accountIds?.[n]
    let b = webhookConversation({
      id,
      startAt: Date.UTC(2026, 4, 2, 8) + n * 1000,
      ...(accountId === undefined ? {} : { accountId }),
    })
      .opened()
      .agentJoined(agent)
    for (let m = 0; m < messages; m++) {
      b =
        m % 2 === 0 ? b.contactReplied(`question ${m} in ${n}`) : b.agentReplied(agent, `answer ${m} in ${n}`)
    }
    const built = b.closed({ by: agent }).build()
    const bodies = (options.events?.(n, built) ?? built).map((event) => JSON.stringify(event))
    const events = bodies.map((body) => parseWebhookEventOrThrow(new TextEncoder().encode(body)))
    const stored = events.map((event, i) => storedEventOf(event, new TextEncoder().encode(bodies[i])))
    const assembled = assembleConversationOrThrow(events)
    if (assembled.id !== id) throw new Error(`the builder gave ${assembled.id} for ${id}`)
    conversations.push({
      id,
      storedId: stored[0]?.conversationId ?? id,
      keys: stored.map((s) => s.key),
      messages: assembled.messages.length,
    })
    perConversation.push(
      await Promise.all(
        bodies.map(async (body, i) => ({
          conversationId: id,
          body,
          signature: await signWebhookBody(body, FAULTS_SECRET),
          key: stored[i]?.key ?? '',
        })),
      ),
    )
  }
  // Event e of conversation n happens at step n * stagger + e: with stagger 0, every conversation's
  // first event, then every second one…; with 3, a few conversations overlap at any time, so
  // conversations close (and are exported) all along the load.
  const stagger = options.stagger ?? 0
  const deliveries = perConversation
    .flatMap((d, n) => d.map((delivery, e) => ({ delivery, step: n * stagger + e, n })))
    .sort((a, b) => a.step - b.step || a.n - b.n)
    .map((x) => x.delivery)
  return { conversations, deliveries }
}
