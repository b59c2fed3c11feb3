import type fc from 'fast-check'
import type { WebhookEnvelopePayload, WebhookEventPayload } from 'smartsupp-hook'
import { postWebhookEvent, webhookConversation } from 'smartsupp-hook/testing'
import { mutatedWebhookEvent, unknownWebhookEvent, webhookEvent } from 'smartsupp-hook/testing/arbitraries'
import { describe, expectTypeOf, it } from 'vitest'

describe('webhook testing kit types', () => {
  it('the builder gives wire events; agents are ids or { id, name }', () => {
    const events = webhookConversation().opened().agentReplied({ id: '11', name: 'Petr' }, 'Hi').build()
    expectTypeOf(events).toEqualTypeOf<WebhookEventPayload[]>()
    // @ts-expect-error agent ids are strings, as the webhooks send them
    webhookConversation().agentJoined(11)
  })

  it('the arbitraries are typed', () => {
    expectTypeOf(webhookEvent()).toEqualTypeOf<fc.Arbitrary<WebhookEventPayload>>()
    expectTypeOf(unknownWebhookEvent()).toEqualTypeOf<fc.Arbitrary<WebhookEnvelopePayload>>()
    expectTypeOf(mutatedWebhookEvent()).toEqualTypeOf<fc.Arbitrary<unknown>>()
    // @ts-expect-error only known event names
    webhookEvent({ events: ['conversation.nope'] })
  })

  it('postWebhookEvent requires a secret and resolves to a Response', () => {
    const handler = (request: Request) => new Response(request.body)
    expectTypeOf(postWebhookEvent(handler, {}, { secret: 's' })).toEqualTypeOf<Promise<Response>>()
    // @ts-expect-error the secret is required
    postWebhookEvent(handler, {}, {})
  })
})
