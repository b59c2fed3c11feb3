import { webhookConversation } from '../../../src/testing/webhook-conversation-builder.js'

/**
 * The 20 events of conversation number `n`, as Smartsupp's JSON: two agents, a bot, deliveries, a
 * rating, closed by an agent or (every third) by the contact. Shared by the two-receiver end-to-end
 * test and `bench/store.ts`, so the bench measures what the test proves.
 */
export function scaleConversationEvents(id: string, n: number): unknown[] {
  const alice = { id: `${100 + (n % 7)}`, name: `Alice ${n % 7}` }
  const bob = { id: `${200 + (n % 5)}`, name: `Bob ${n % 5}` }
  const b = webhookConversation({
    id,
    visitorId: `vis-${n}`,
    contactId: `cont-${n}`,
    startAt: Date.UTC(2026, 10, 1, 9) + n * 60_000,
  })
    .opened()
    .contactReplied(`Hello from ${n}`)
    .botReplied('An agent will be with you shortly')
    .agentAssigned(alice)
    .agentJoined(alice)
    .agentReplied(alice, `Hi ${n}, how can I help?`)
    .messageDelivered()
    .contactReplied('My order has not arrived')
    .agentReplied(alice, 'Let me check')
    .messageDelivered()
    .agentJoined(bob)
    .agentReplied(bob, `Order ${n} ships tomorrow`)
    .contactReplied('Thanks!')
    .agentReplied(bob, 'You are welcome')
    .agentLeft(alice)
    .contactReplied('Bye')
    .agentReplied(bob, 'Bye')
    .agentUnassigned(alice)
    .rated(n % 2 === 0 ? 5 : 3, `rating ${n}`)
  return (n % 3 === 0 ? b.closedByContact() : b.closed({ by: bob })).build()
}
