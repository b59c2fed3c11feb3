import fc from 'fast-check'
import { agents, decodeConversationOrThrow, durations, summary, transcript } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { conversationPayload } from '../support/arbitraries.js'

// agents, durations, summary and transcript read one shared pass over the messages: whatever
// each reports about the same conversation agrees with the others and with the messages.
describe('helpers that share one pass over the messages', () => {
  it('summary reports what agents, durations and the messages themselves say', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const c = decodeConversationOrThrow(p, { mode: 'strict' })
        const s = summary(c)
        const people = agents(c)
        const times = durations(c)
        expect(s.agentIds).toEqual(people.map((a) => a.id))
        expect(s.agentNames).toEqual(people.map((a) => a.name ?? `Agent ${a.id}`))
        expect(s.visitorMessageCount).toBe(c.messages.filter((m) => m.kind === 'visitor').length)
        expect(s.agentMessageCount).toBe(c.messages.filter((m) => m.kind === 'agent').length)
        expect(s.triggeredMessageCount).toBe(c.messages.filter((m) => m.kind === 'trigger').length)
        expect([s.totalMs, s.firstResponseMs, s.averageResponseMs]).toEqual([
          times.totalMs,
          times.firstResponseMs,
          times.averageResponseMs,
        ])
      }),
    )
  })

  it('agents counts the words of every agent message, even after summary and durations ran', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const c = decodeConversationOrThrow(p, { mode: 'strict' })
        summary(c)
        durations(c)
        const words = (text: string) => text.split(/\s+/u).filter((w) => w !== '').length
        for (const a of agents(c)) {
          const own = c.messages.filter((m) => m.kind === 'agent' && m.sender.id === a.id)
          expect(a.wordCount).toBe(own.reduce((sum, m) => sum + words(m.content), 0))
        }
      }),
    )
  })

  it('transcript names an agent message without a name as agents names its author', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const c = decodeConversationOrThrow(p, { mode: 'strict' })
        const names = new Map(agents(c).map((a) => [a.id, a.name ?? `Agent ${a.id}`]))
        const text = transcript(c)
        for (const m of c.messages) {
          if (m.kind !== 'agent' || (m.name !== null && m.name !== '')) continue
          const name = (names.get(m.sender.id) ?? '').replace(/\r\n|\r|\n/g, ' ')
          expect(text).toContain(`] ${name}: `)
        }
      }),
    )
  })
})
