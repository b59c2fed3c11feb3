import fc from 'fast-check'
import {
  agents,
  assembleConversationOrThrow,
  type Conversation,
  category,
  type DecodeMode,
  decodeConversationOrThrow,
  durations,
  isChat,
  isCompleted,
  isMissed,
  isOffline,
  isTriggered,
  messagesByAgent,
  summary,
  transcript,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { decodeEach, expectedFlags, postHookPayload, type Script, script, webhookEvents } from './script.js'

// The helpers over a conversation assembled from its webhook events give the same figures as over
// the POST hook payload of the same conversation. Ids are compared as strings: the POST hook's are
// numbers on the wire (`agent:11`), the webhooks' strings (`"11"`).

/** Both conversations of one script. */
function bothWays(s: Script, mode: DecodeMode) {
  const assembled = assembleConversationOrThrow(decodeEach(webhookEvents(s), mode))
  const legacy = decodeConversationOrThrow(postHookPayload(s), { mode })
  return { assembled, legacy: legacy as Conversation }
}

/** What `messagesByAgent` says, with ids as strings and times as epoch ms. */
function byAgent(c: Conversation) {
  return [...messagesByAgent(c)].map(([id, messages]) => [
    String(id),
    messages.map((m) => ({ id: String(m.sender.id), name: m.name, content: m.content, sentAt: +m.sentAt })),
  ])
}

function agentFigures(c: Conversation) {
  return agents(c).map((a) => ({ ...a, id: String(a.id) }))
}

function withoutReported(d: ReturnType<typeof durations>) {
  const { reported: _, ...computed } = d
  return computed
}

function transcripts(c: Conversation) {
  return (['text', 'markdown', 'html'] as const).flatMap((format) => [
    transcript(c, { format }),
    transcript(c, { format, timeZone: 'Europe/Prague' }),
  ])
}

function statuses(c: Conversation) {
  return {
    isChat: isChat(c),
    isMissed: isMissed(c),
    isTriggered: isTriggered(c),
    isCompleted: isCompleted(c),
    isOffline: isOffline(c),
    category: category(c),
  }
}

/** `summary` without what differs by source: the ids' form and the test data's e-mail (the webhook builder sends none). */
function summaryFigures(c: Conversation) {
  const { id: _id, accountId: _account, visitorEmail: _email, ...rest } = summary(c)
  return { ...rest, agentIds: rest.agentIds.map(String) }
}

function assertEquivalent(s: Script, mode: DecodeMode): void {
  const { assembled, legacy } = bothWays(s, mode)
  expect(withoutReported(durations(assembled))).toEqual(withoutReported(durations(legacy)))
  expect(byAgent(assembled)).toEqual(byAgent(legacy))
  expect(agentFigures(assembled)).toEqual(agentFigures(legacy))
  expect(transcripts(assembled)).toEqual(transcripts(legacy))
  expect(statuses(assembled)).toEqual(statuses(legacy))
  expect({ isMissed: isMissed(assembled), isCompleted: isCompleted(assembled) }).toEqual(expectedFlags(s))
  expect(summaryFigures(assembled)).toEqual(summaryFigures(legacy))
  expect(assembled.rating).toEqual(legacy.rating)
  expect(assembled.beginAt).toEqual(legacy.beginAt)
  expect(assembled.endAt).toEqual(legacy.endAt)
  // What the events cannot tell is null, not a guess: Smartsupp's own figures and counts.
  expect(durations(assembled).reported).toEqual({
    durationSeconds: null,
    firstResponseSeconds: null,
    averageResponseSeconds: null,
  })
  expect(assembled.reported).toEqual({
    durationSeconds: null,
    averageResponseSeconds: null,
    firstResponseSeconds: null,
    messageCount: null,
    wordCount: null,
  })
  expect(legacy.reported.wordCount).toEqual(expect.any(Number))
  expect(assembled.flags.isDropped).toBeNull()
  expect(assembled.paths).toBeNull()
}

describe('the helpers on an assembled conversation and on the equivalent POST hook payload', () => {
  it.each(['lenient', 'strict'] as const)('give the same figures (events decoded %s)', (mode) => {
    fc.assert(
      fc.property(script({ minGapMs: 1 }), (s) => assertEquivalent(s, mode)),
      { numRuns: 200 },
    )
  })

  it('agree on a conversation with every kind of step', () => {
    const s: Script = {
      startAt: Date.UTC(2024, 2, 14, 9, 30),
      contactName: 'Jana Nováková',
      agents: [
        { id: '11', name: 'Petr Svoboda' },
        { id: '12', name: 'Eva Dvořáková' },
      ],
      steps: [
        { step: { kind: 'bot', text: 'Hi! Can we help?', name: 'Welcome bot', trigger: true }, gapMs: 0 },
        { step: { kind: 'contact', text: 'My order did not arrive' }, gapMs: 3_000 },
        { step: { kind: 'join', agent: 0 }, gapMs: 4_200 },
        { step: { kind: 'agent', agent: 0, text: 'Let me check' }, gapMs: 9_801 },
        { step: { kind: 'delivered' }, gapMs: 1 },
        { step: { kind: 'join', agent: 1 }, gapMs: 60_000 },
        { step: { kind: 'leave', agent: 0 }, gapMs: 1_000 },
        { step: { kind: 'contact', text: 'Any news?' }, gapMs: 120_000 },
        { step: { kind: 'agent', agent: 1, text: 'It ships today' }, gapMs: 30_500 },
        { step: { kind: 'rate', value: 5, comment: 'great' }, gapMs: 10_000 },
        { step: { kind: 'closeByAgent', agent: 1 }, gapMs: 2_000 },
      ],
    }
    assertEquivalent(s, 'strict')
    const { assembled } = bothWays(s, 'strict')
    expect(durations(assembled)).toMatchObject({ firstResponseMs: 14_001, visitorTurnCount: 2 })
    expect(transcript(assembled).split('\n')).toEqual([
      '[2024-03-14 09:30:00 UTC] Automatic message (Welcome bot): Hi! Can we help?',
      '[2024-03-14 09:30:03 UTC] Jana Nováková: My order did not arrive',
      '[2024-03-14 09:30:07 UTC] * Petr Svoboda joined',
      '[2024-03-14 09:30:17 UTC] Petr Svoboda: Let me check',
      '[2024-03-14 09:31:17 UTC] * Eva Dvořáková joined',
      '[2024-03-14 09:31:18 UTC] * Petr Svoboda left',
      '[2024-03-14 09:33:18 UTC] Jana Nováková: Any news?',
      '[2024-03-14 09:33:48 UTC] Eva Dvořáková: It ships today',
      '[2024-03-14 09:34:00 UTC] * Eva Dvořáková closed the chat',
    ])
  })

  it("names an agent who only joined by id: the join event does not carry the name the POST hook's has", () => {
    const s: Script = {
      startAt: Date.UTC(2024, 2, 14, 9, 30),
      contactName: null,
      agents: [
        { id: '11', name: 'Petr Svoboda' },
        { id: '12', name: 'Eva Dvořáková' },
      ],
      steps: [
        { step: { kind: 'contact', text: 'Hello?' }, gapMs: 0 },
        { step: { kind: 'join', agent: 0 }, gapMs: 1_000 },
        { step: { kind: 'closeByContact' }, gapMs: 1_000 },
      ],
    }
    const assembled = assembleConversationOrThrow(decodeEach(webhookEvents(s)))
    expect(agents(assembled)).toEqual([
      expect.objectContaining({ id: '11', name: null, joinedAt: new Date(s.startAt + 1_000) }),
    ])
    // The POST hook names the joining agent on the join message itself.
    const payload = postHookPayload(s)
    const join = payload.messages.find((m) => m.content === 'agent.join')
    if (join === undefined) throw new Error('no join message')
    const legacy = decodeConversationOrThrow({
      ...payload,
      messages: payload.messages.map((m) => (m === join ? { ...m, name: 'Petr Svoboda' } : m)),
    })
    expect(agents(legacy)[0]?.name).toBe('Petr Svoboda')
    expect(isMissed(assembled)).toBe(true)
    expect(category(assembled)).toBe('missed')
  })
})
