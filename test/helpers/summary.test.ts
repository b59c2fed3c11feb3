import { summary } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { buildConversation, visitor } from './build-conversation.js'
import { documented, empty, missed, offline, transfer, triggersOnly } from './scenarios.js'

describe('summary', () => {
  it('sums up the documented example in plain fields', () => {
    expect(summary(documented())).toStrictEqual({
      id: '55039',
      accountId: '208',
      category: 'chat',
      beginAt: '2015-03-27T15:33:59.703Z',
      endAt: '2015-03-27T15:34:36.687Z',
      visitorName: 'Dusan Kmet',
      visitorEmail: 'dusan@domain.com',
      agentIds: ['3'],
      agentNames: ['John Doe'],
      messageCount: 6,
      visitorMessageCount: 2,
      agentMessageCount: 1,
      triggeredMessageCount: 1,
      totalMs: 36_984,
      firstResponseMs: 14_069,
      averageResponseMs: 14_069,
      rating: 5,
      ratingComment: '',
      warningCount: 0,
    })
  })

  it('survives JSON unchanged', () => {
    for (const c of [documented(), missed(), offline(), transfer(), triggersOnly(), empty()]) {
      const s = summary(c)
      expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s)
    }
  })

  it('sums up a transfer, a missed chat and an offline message', () => {
    expect(summary(transfer())).toMatchObject({
      category: 'chat',
      visitorName: 'Zażółć Gęślą',
      agentIds: ['1', '2'],
      agentNames: ['Jan Kowalski', 'Šárka Dvořáková'],
      visitorMessageCount: 4,
      agentMessageCount: 5,
      triggeredMessageCount: 0,
      firstResponseMs: 10_000,
    })
    expect(summary(missed())).toMatchObject({
      category: 'missed',
      visitorName: 'Jana Nováková',
      agentNames: [],
      firstResponseMs: null,
      averageResponseMs: null,
      rating: null,
      ratingComment: null,
    })
    expect(summary(offline())).toMatchObject({ category: 'offline', messageCount: 1, visitorMessageCount: 1 })
  })

  it('names an unnamed agent by id, and gives null for an unknown visitor', () => {
    const c = buildConversation(
      [visitor('Hi', 0), { type: 'agent', from: 'agent:9', content: 'Hello', at: 1 }],
      {
        visitor: { name: null, email: null },
      },
    )
    expect(summary(c)).toMatchObject({
      visitorName: null,
      visitorEmail: null,
      agentIds: ['9'],
      agentNames: ['Agent 9'],
    })
  })
})
