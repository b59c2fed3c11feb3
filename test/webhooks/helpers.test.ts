import { isHumanReply, parseWebhookEvent, webhookEventKey } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { at, decoded, fixture, fixtureNames, type Json } from './support.js'

/** The same JSON with keys in reverse order at every level. */
function reversed(u: unknown): unknown {
  if (Array.isArray(u)) return u.map(reversed)
  if (u === null || typeof u !== 'object') return u
  return Object.fromEntries(
    Object.entries(u)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  )
}

describe('webhookEventKey', () => {
  it('names the account, the event and the conversation, then a 16-digit hash', () => {
    expect(webhookEventKey(decoded(fixture('conversation.agent_replied')))).toMatch(
      /^smartsupp-webhook:881987:conversation\.agent_replied:conv-001:[0-9a-f]{16}$/,
    )
    expect(webhookEventKey(decoded(fixture('conversation.message_delivered')))).toMatch(/:conv-001:/)
    expect(webhookEventKey(decoded(fixture('contact.created')))).toMatch(/:contact\.created:cont-001:/)
    expect(webhookEventKey(decoded(fixture('unknown')))).toMatch(
      /^smartsupp-webhook:881987:visitor\.page_viewed:-:/,
    )
  })

  it.each(fixtureNames)('%s: stable across re-deliveries in any JSON formatting and key order', (name) => {
    const text = JSON.stringify(fixture(name))
    const key = webhookEventKey(decoded(JSON.parse(text)))
    for (const again of [
      JSON.stringify(JSON.parse(text), null, 2),
      JSON.stringify(reversed(JSON.parse(text))),
    ]) {
      const result = parseWebhookEvent(again)
      expect(result._tag === 'Right' && webhookEventKey(result.right)).toBe(key)
    }
  })

  it('different for every fixture, and for an event that differs in one value', () => {
    const keys = fixtureNames.map((n) => webhookEventKey(decoded(fixture(n))))
    expect(new Set(keys).size).toBe(keys.length)
    const root = fixture('conversation.contact_replied')
    const key = webhookEventKey(decoded(root))
    root.timestamp = '2026-03-02T09:15:03.000Z'
    expect(webhookEventKey(decoded(root))).not.toBe(key)
    const other = fixture('conversation.contact_replied')
    at(other, 'data.message').content = 'Hello?'
    expect(webhookEventKey(decoded(other))).not.toBe(key)
  })
})

describe('isHumanReply', () => {
  it('is true for agent and contact replies only', () => {
    const human = fixtureNames.filter((n) => isHumanReply(decoded(fixture(n))))
    expect(human.sort()).toEqual(['conversation.agent_replied', 'conversation.contact_replied'])
  })

  it('is false for an internal note and for a bot-written message in a reply event', () => {
    const note = fixture('conversation.agent_replied')
    at(note, 'data.message').type = 'note'
    expect(isHumanReply(decoded(note))).toBe(false)
    const bot = fixture('conversation.agent_replied')
    at(bot, 'data.message').sub_type = 'bot'
    expect(isHumanReply(decoded(bot))).toBe(false)
    const noMessage = fixture('conversation.contact_replied') as Json
    at(noMessage, 'data').message = 'not an object'
    expect(isHumanReply(decoded(noMessage))).toBe(false)
  })
})
