import { describe, expect, test } from 'vitest'
import { assembleConversationOrThrow } from '../../src/assemble/assemble-conversation-or-throw.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import type { WebhookEvent } from '../../src/model/webhook-event.js'
import { assembleStored } from '../../src/store/assemble-stored.js'
import type { StoredEvent } from '../../src/store/event-store.js'
import { storedEventOf } from '../../src/store/stored-event-of.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'

const encoder = new TextEncoder()
const petr = { id: '11', name: 'Petr' }
const jana = { id: '12', name: 'Jana' }

/** A conversation in which two agents join in the same millisecond: only the keys order them. */
function stored(): { events: WebhookEvent[]; stored: StoredEvent[] } {
  const wire = webhookConversation({ id: 'conv-keys' })
    .opened()
    .contactReplied('Hello')
    .agentJoined(petr)
    .agentJoined(jana, { after: 0 })
    .agentReplied(petr, 'Hi')
    .closed({ by: petr })
    .build()
  const events: WebhookEvent[] = []
  const out: StoredEvent[] = []
  for (const e of wire) {
    const bytes = encoder.encode(JSON.stringify(e))
    const decoded = parseWebhookEvent(bytes)
    if (decoded._tag === 'Left') throw new Error(decoded.left.message)
    events.push(decoded.right)
    out.push({ ...storedEventOf(decoded.right, bytes), receivedAt: new Date(0) })
  }
  return { events, stored: out }
}

const joins = (c: ReturnType<typeof assembleStored>) =>
  c.messages.filter((m) => m.kind === 'system' && m.event === 'agent.join').map((m) => m.sender)

describe('assembleStored', () => {
  test('assembles what assembleConversation assembles from the same events', () => {
    const { events, stored: s } = stored()
    expect(assembleStored('conv-keys', s, 'lenient')).toStrictEqual(
      assembleConversationOrThrow(events, { conversationId: 'conv-keys' }),
    )
  })

  test("reuses the store's keys: they, not keys computed again, order events of the same millisecond", () => {
    const { stored: s } = stored()
    const computed = joins(assembleStored('conv-keys', s, 'lenient'))
    expect(computed).toHaveLength(2)
    expect(
      joins(assembleStored('conv-keys', reversingKeys(s, computed, 'smartsupp-webhook:'), 'lenient')),
    ).toEqual([...computed].reverse())
  })

  test('computes the keys when the store had to escape one (it is not the key assembly would compute)', () => {
    const { stored: s } = stored()
    const computed = joins(assembleStored('conv-keys', s, 'lenient'))
    // The same keys in an escaped form: were they used, the joins would come the other way round.
    expect(joins(assembleStored('conv-keys', reversingKeys(s, computed, '~esc~'), 'lenient'))).toEqual(
      computed,
    )
  })
})

/**
 * The stored events with the two joins' keys replaced by `prefix` + `a` or `z`, chosen so that,
 * used as keys, they order the joins the other way round from `computed`.
 */
function reversingKeys(
  s: readonly StoredEvent[],
  computed: ReturnType<typeof joins>,
  prefix: string,
): StoredEvent[] {
  const firstAgent = (computed[0] as { id: string }).id
  return s.map((e) => {
    if (e.event !== 'conversation.agent_joined') return e
    const agent = (JSON.parse(new TextDecoder().decode(e.body)) as { data: { agent_id: string } }).data
      .agent_id
    return { ...e, key: `${prefix}${agent === firstAgent ? 'z' : 'a'}` }
  })
}
