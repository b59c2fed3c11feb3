import {
  assembleConversationOrThrow,
  category,
  decodeConversationOrThrow,
  durations,
  type MessagePayload,
} from 'smartsupp-hook'
import { fixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { decodeEach, type Script, type ScriptStep, webhookEvents } from './script.js'

// Smartsupp's documented POST hook example is the one conversation for which Smartsupp itself
// says what the flags are: the visitor wrote "Hello", an agent answered, the visitor wrote
// "tanks." and closed the chat: `isMissed: false`, `isCompleted: true`. The same messages sent as
// webhook events must assemble into the same flags.

/** The documented example's messages as a script of webhook steps, at the same times. */
function documentedScript(): Script {
  const doc = fixtures.documentedExample()
  const agentIds: string[] = []
  const agentIndex = (from: string): number => {
    const id = from.slice('agent:'.length)
    if (!agentIds.includes(id)) agentIds.push(id)
    return agentIds.indexOf(id)
  }
  const stepOf = (m: MessagePayload): ScriptStep => {
    if (m.type === 'visitor') return { kind: 'contact', text: m.content }
    if (m.type === 'agent' && m.triggeredBy !== null)
      return { kind: 'bot', text: m.content, name: m.triggeredBy, trigger: true }
    if (m.type === 'agent') return { kind: 'agent', agent: agentIndex(m.from), text: m.content }
    if (m.content === 'agent.join') return { kind: 'join', agent: agentIndex(m.from) }
    if (m.content === 'close.visitorClose') return { kind: 'closeByContact' }
    throw new Error(`the documented example has no ${m.type} message "${m.content}"`)
  }
  let previous = doc.beginAt
  const steps = doc.messages.map((m) => {
    const step = { step: stepOf(m), gapMs: m.sentAt - previous }
    previous = m.sentAt
    return step
  })
  return {
    startAt: doc.beginAt,
    contactName: doc.visitor.name,
    agents: agentIds.map((id) => ({ id, name: 'John Doe' })),
    steps,
  }
}

describe("the documented example's messages, assembled from webhook events", () => {
  it('give the flags the POST hook reports: answered, then the visitor wrote last: not missed, completed', () => {
    const reported = decodeConversationOrThrow(fixtures.documentedExample(), { mode: 'strict' })
    const s = documentedScript()
    // The script is the documented conversation: visitor, join, trigger, agent, visitor, close.
    expect(s.steps.map(({ step }) => step.kind)).toEqual([
      'contact',
      'join',
      'bot',
      'agent',
      'contact',
      'closeByContact',
    ])
    const assembled = assembleConversationOrThrow(decodeEach(webhookEvents(s), 'strict'))
    expect(assembled.messages.map((m) => [m.kind, m.content, +m.sentAt])).toEqual(
      reported.messages.map((m) => [m.kind, m.content, +m.sentAt]),
    )
    const { isDropped: _dropped, ...flags } = reported.flags
    expect(flags).toEqual({
      isChat: true,
      isMissed: false,
      isTriggered: true,
      isOffline: false,
      isCompleted: true,
    })
    // Webhooks never tell isDropped.
    expect(assembled.flags).toEqual({ ...flags, isDropped: null })
    expect(category(assembled)).toBe('chat')
    expect(category(assembled)).toBe(category(reported))
    expect(assembled).toMatchObject({ closedBy: 'contact', endAt: reported.endAt })
    expect(durations(assembled).firstResponseMs).toBe(durations(reported).firstResponseMs)
  })
})
