import fc from 'fast-check'
import { type ConversationPayload, decodeConversation, durations, summary } from 'smartsupp-hook'
import { type ConversationBuilder, conversation, fixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

/** The builder's reported figures against what the helpers compute from the same messages. */
function expectFiguresMatchHelpers(p: ConversationPayload): void {
  const result = decodeConversation(p, { mode: 'strict' })
  if (result._tag === 'Left') throw new Error(result.left.message)
  const d = durations(result.right)
  const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000))
  expect(p.channel.duration).toBe(seconds(d.totalMs))
  expect(p.channel.firstResponse).toBe(seconds(d.firstResponseMs))
  expect(p.channel.avgResponse).toBe(seconds(d.averageResponseMs))
  expect(p.channel.isMissed).toBe(
    p.channel.isOffline === false && d.visitorTurnCount > 0 && d.answeredTurnCount === 0,
  )
  const s = summary(result.right)
  expect(p.channel.isChat).toBe(s.visitorMessageCount > 0 && s.agentMessageCount > 0)
  expect(p.channel.isTriggered).toBe(s.triggeredMessageCount > 0)
}

describe("the builder's figures match the helpers'", () => {
  it.each(['missed', 'offline', 'triggeredOnly', 'transfer', 'rated', 'unrated', 'large'] as const)(
    'on fixtures.%s()',
    (name) => expectFiguresMatchHelpers(fixtures[name]()),
  )

  it('on the documented example rebuilt step by step, equal to the reported 36 / 14 / 14', () => {
    const doc = fixtures.documentedExample()
    const p = conversation({ startAt: doc.beginAt })
      .visitor('Hello')
      .join(3, 'John Doe', { after: 6_516 })
      .trigger('This is triggered message', 'Test Trigger', { after: 3_487 })
      .agent(3, 'Hi, how can i help you ?', { after: 4_066 })
      .visitor('tanks.', { after: 19_352 })
      .visitorClose({ after: 3_563 })
      .build()
    expect([p.channel.duration, p.channel.firstResponse, p.channel.avgResponse]).toEqual([36, 14, 14])
    expectFiguresMatchHelpers(p)
  })

  it('for any sequence of steps', () => {
    const after = fc.nat({ max: 900_000 })
    const step = fc.oneof(
      fc.record({ kind: fc.constant('visitor' as const), after }),
      fc.record({ kind: fc.constant('agent' as const), id: fc.nat({ max: 3 }), after }),
      fc.record({ kind: fc.constant('join' as const), id: fc.nat({ max: 3 }), after }),
      fc.record({ kind: fc.constant('trigger' as const), after }),
      fc.record({ kind: fc.constant('close' as const), after }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), fc.boolean(), (steps, offline) => {
        let b: ConversationBuilder = offline ? conversation().offline() : conversation()
        for (const s of steps) {
          if (s.kind === 'visitor') b = b.visitor('question', { after: s.after })
          else if (s.kind === 'agent') b = b.agent(s.id, 'answer', { after: s.after })
          else if (s.kind === 'join') b = b.join(s.id, `Agent ${s.id}`, { after: s.after })
          else if (s.kind === 'trigger') b = b.trigger('automatic', 'T', { after: s.after })
          else b = b.visitorClose({ after: s.after })
        }
        expectFiguresMatchHelpers(b.build())
      }),
      { numRuns: 300 },
    )
  })
})
