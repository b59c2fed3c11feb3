import { decodeWebhookEvent, parseWebhookEvent, webhookEventKey } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'

const envelope = {
  type: 'event_callback',
  timestamp: '2020-08-08T07:53:18.825Z',
  account_id: '881987',
  app_id: 'ap1',
}

describe('webhookEventKey on unusual events', () => {
  it('takes a numeric conversation id as the model reads it', () => {
    const result = decodeWebhookEvent({
      ...envelope,
      event: 'conversation.agent_joined',
      data: { conversation_id: 123, agent_id: '7' },
    })
    expect(result._tag).toBe('Right')
    if (result._tag !== 'Right') return
    expect(webhookEventKey(result.right)).toMatch(
      /^smartsupp-webhook:881987:conversation\.agent_joined:123:[0-9a-f]{16}$/,
    )
  })

  it('does not overflow the stack on a deeply nested unknown event', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`
    const body = `{"event":"app.future","timestamp":"2020-08-08T07:53:18.825Z","account_id":"1","app_id":"a","data":{"x":${deep}}}`
    const result = parseWebhookEvent(body)
    expect(result._tag).toBe('Right')
    if (result._tag !== 'Right') return
    expect(webhookEventKey(result.right)).toMatch(/^smartsupp-webhook:1:app\.future:-:[0-9a-f]{16}$/)
  })
})
