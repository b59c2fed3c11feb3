import { durations } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { agent, buildConversation, join, trigger, visitor } from './build-conversation.js'
import { documented, empty, missed, offline, transfer, triggersOnly } from './scenarios.js'

describe('durations', () => {
  it("matches Smartsupp's reported seconds on the documented example", () => {
    const d = durations(documented())
    expect(d).toStrictEqual({
      totalMs: 36_984,
      firstResponseMs: 14_069,
      averageResponseMs: 14_069,
      longestResponseMs: 14_069,
      waitForAgentMs: 6_516,
      visitorTurnCount: 2,
      answeredTurnCount: 1,
      reported: { durationSeconds: 36, firstResponseSeconds: 14, averageResponseSeconds: 14 },
    })
    expect(Math.floor(d.totalMs / 1000)).toBe(d.reported.durationSeconds)
    expect(Math.floor((d.firstResponseMs ?? Number.NaN) / 1000)).toBe(d.reported.firstResponseSeconds)
    expect(Math.floor((d.averageResponseMs ?? Number.NaN) / 1000)).toBe(d.reported.averageResponseSeconds)
  })

  it('measures every visitor turn of a transfer between two agents', () => {
    expect(durations(transfer())).toMatchObject({
      totalMs: 90_000,
      firstResponseMs: 10_000,
      // (10 s + 6 s + 30 s) / 3, exactly
      averageResponseMs: 46_000 / 3,
      longestResponseMs: 30_000,
      waitForAgentMs: 5_000,
      visitorTurnCount: 3,
      answeredTurnCount: 3,
    })
  })

  it('gives null response times for a missed conversation', () => {
    expect(durations(missed())).toStrictEqual({
      totalMs: 95_000,
      firstResponseMs: null,
      averageResponseMs: null,
      longestResponseMs: null,
      waitForAgentMs: null,
      visitorTurnCount: 1,
      answeredTurnCount: 0,
      reported: { durationSeconds: 95, firstResponseSeconds: 0, averageResponseSeconds: 0 },
    })
  })

  it('gives null response times for an offline message', () => {
    expect(durations(offline())).toMatchObject({
      totalMs: 0,
      firstResponseMs: null,
      averageResponseMs: null,
      waitForAgentMs: null,
      visitorTurnCount: 1,
      answeredTurnCount: 0,
    })
  })

  it('does not count triggered messages or agent.join as responses', () => {
    expect(durations(triggersOnly())).toMatchObject({ firstResponseMs: null, visitorTurnCount: 0 })
    const c = buildConversation([visitor('Hi', 0), trigger('Welcome', 'Hello!', 1), join(3, 2, 'Ann')])
    expect(durations(c)).toMatchObject({
      firstResponseMs: null,
      averageResponseMs: null,
      waitForAgentMs: 2_000,
      answeredTurnCount: 0,
    })
  })

  it('handles a conversation with no messages', () => {
    expect(durations(empty())).toStrictEqual({
      totalMs: 4_000,
      firstResponseMs: null,
      averageResponseMs: null,
      longestResponseMs: null,
      waitForAgentMs: null,
      visitorTurnCount: 0,
      answeredTurnCount: 0,
      reported: { durationSeconds: 36, firstResponseSeconds: 14, averageResponseSeconds: 14 },
    })
  })

  it('ignores agent messages before the visitor wrote, and waits 0 ms for an agent already there', () => {
    const c = buildConversation([
      join(3, 0, 'Ann'),
      agent(3, 'Can I help?', 1),
      visitor('Yes', 10),
      agent(3, 'Sure', 13),
    ])
    expect(durations(c)).toMatchObject({ firstResponseMs: 3_000, waitForAgentMs: 0, visitorTurnCount: 1 })
  })

  it('starts a turn at its first visitor message, not its last', () => {
    const c = buildConversation([visitor('Hi', 0), visitor('Anyone?', 20), agent(3, 'Here', 25)])
    expect(durations(c)).toMatchObject({ firstResponseMs: 25_000, visitorTurnCount: 1 })
  })

  it('reads out-of-order messages by their timestamps', () => {
    // "Are you there?" was sent at 3 s but comes last in the array: still one turn, answered at 10 s.
    const c = buildConversation([visitor('Hi', 0), agent(3, 'Hello', 10), visitor('Are you there?', 3)])
    expect(durations(c)).toMatchObject({
      firstResponseMs: 10_000,
      averageResponseMs: 10_000,
      visitorTurnCount: 1,
      answeredTurnCount: 1,
    })
  })

  it('keeps totalMs as sent, even when endAt comes before beginAt', () => {
    const c = buildConversation([visitor('Hi', 0)], { beginAt: 1_700_000_010_000, endAt: 1_700_000_000_000 })
    expect(durations(c).totalMs).toBe(-10_000)
  })

  it('keeps millisecond precision', () => {
    const c = buildConversation([visitor('Hi', 0), agent(3, 'Hello', 1.234)])
    expect(durations(c).firstResponseMs).toBe(1_234)
  })
})
