import { agents, chronologicalMessages, messagesByAgent, summary, transcript } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { asAssembled } from '../support/assembled.js'
import { agent, buildConversation, T0, visitor } from './build-conversation.js'
import { documented, empty, missed, transfer, triggersOnly } from './scenarios.js'

const contents = (list: readonly { content: string }[] | undefined) => list?.map((m) => m.content)

describe('messagesByAgent', () => {
  it("gives each agent their own messages in order, and nobody the trigger's", () => {
    const byAgent = messagesByAgent(documented())
    expect([...byAgent.keys()]).toEqual(['3'])
    expect(contents(byAgent.get('3'))).toEqual(['Hi, how can i help you ?'])
  })

  it('splits a transfer between two agents', () => {
    const byAgent = messagesByAgent(transfer())
    expect([...byAgent.keys()]).toEqual(['1', '2'])
    expect(contents(byAgent.get('1'))).toEqual([
      'Dzień dobry! W czym mogę pomóc?',
      'Sprawdzę to',
      'Przekazuję koledze z księgowości',
    ])
    expect(contents(byAgent.get('2'))).toEqual(['Fakturu jsem poslala znovu ✅', 'Něco dalšího?'])
  })

  it('is empty without human agent messages', () => {
    expect(messagesByAgent(missed()).size).toBe(0)
    expect(messagesByAgent(triggersOnly()).size).toBe(0)
    expect(messagesByAgent(empty()).size).toBe(0)
  })

  it('orders out-of-order messages by sentAt, ties in payload order', () => {
    const c = buildConversation([
      visitor('Hi', 0),
      agent(3, 'second', 20),
      agent(3, 'first', 15),
      agent(3, 'third (a)', 25),
      agent(3, 'third (b)', 25),
    ])
    expect(contents(messagesByAgent(c).get('3'))).toEqual(['first', 'second', 'third (a)', 'third (b)'])
    expect(contents(chronologicalMessages(c))).toEqual(['Hi', 'first', 'second', 'third (a)', 'third (b)'])
    // The conversation itself is left as it came.
    expect(contents(c.messages)).toEqual(['Hi', 'second', 'first', 'third (a)', 'third (b)'])
  })
})

describe('chronologicalMessages', () => {
  it('returns the messages themselves when they are already in order', () => {
    const c = documented()
    expect(chronologicalMessages(c)).toBe(c.messages)
  })
})

describe('agents', () => {
  it('describes the agent of the documented example', () => {
    expect(agents(documented())).toStrictEqual([
      {
        id: '3',
        name: 'John Doe',
        joinedAt: new Date(1427470446219),
        messageCount: 1,
        wordCount: 7,
        firstResponseMs: 14_069,
      },
    ])
  })

  it('describes both agents of a transfer, with diacritics and emoji', () => {
    expect(agents(transfer())).toStrictEqual([
      {
        id: '1',
        name: 'Jan Kowalski',
        joinedAt: new Date(T0 + 5_000),
        messageCount: 3,
        wordCount: 12,
        firstResponseMs: 10_000,
      },
      {
        id: '2',
        name: 'Šárka Dvořáková',
        joinedAt: new Date(T0 + 35_000),
        messageCount: 2,
        // "Fakturu jsem poslala znovu ✅" (5) + "Něco dalšího?" (2)
        wordCount: 7,
        firstResponseMs: 30_000,
      },
    ])
  })

  it('includes an agent who only joined, and names an agent by the last name seen', () => {
    const c = buildConversation([
      visitor('Hi', 0),
      { type: 'system', from: 'agent:7', content: 'agent.join', at: 1, name: 'Eva' },
      agent(8, 'Hello', 2, 'Petr'),
      agent(8, 'Still me', 3, 'Petr Novák'),
      agent(8, 'No name here', 4, ''),
    ])
    expect(agents(c)).toStrictEqual([
      {
        id: '7',
        name: 'Eva',
        joinedAt: new Date(T0 + 1_000),
        messageCount: 0,
        wordCount: 0,
        firstResponseMs: null,
      },
      {
        id: '8',
        name: 'Petr Novák',
        joinedAt: null,
        messageCount: 3,
        wordCount: 6,
        firstResponseMs: 2_000,
      },
    ])
  })

  it('gives null names and response times where the payload has none', () => {
    const c = buildConversation([agent(4, 'Hello?', 0)])
    expect(agents(c)).toStrictEqual([
      { id: '4', name: null, joinedAt: null, messageCount: 1, wordCount: 1, firstResponseMs: null },
    ])
  })

  it('is empty without agents', () => {
    expect(agents(missed())).toEqual([])
    expect(agents(triggersOnly())).toEqual([])
    expect(agents(empty())).toEqual([])
  })
})

describe('agents of an assembled conversation', () => {
  it('keys webhook agent ids as they are, numeric or not, and names unnamed agents by them', () => {
    const built = buildConversation([visitor('Hi', 0), agent(8, 'Hello', 2), agent(9, 'Me too', 3, 'Eva')])
    const renamed = built.messages.map((m) =>
      m.kind === 'agent'
        ? { ...m, sender: { kind: 'agent' as const, id: m.sender.id === '8' ? 'ag-8' : '09' } }
        : m,
    )
    const c = asAssembled(built, { id: 'conv-001', accountId: null, messages: renamed })
    expect([...messagesByAgent(c).keys()]).toEqual(['ag-8', '09'])
    expect(agents(c).map((a) => [a.id, a.name, a.messageCount])).toEqual([
      ['ag-8', null, 1],
      ['09', 'Eva', 1],
    ])
    expect(summary(c)).toMatchObject({ id: 'conv-001', accountId: null, agentIds: ['ag-8', '09'] })
    expect(summary(c).agentNames).toEqual(['Agent ag-8', 'Eva'])
    expect(transcript(c)).toContain('Agent ag-8: Hello')
  })
})
