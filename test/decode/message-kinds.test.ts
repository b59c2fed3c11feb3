import { describe, expect, it } from 'vitest'
import { decodeConversation, type PostHookConversation } from '../../src/index.js'
import { documentedExample } from '../support/payloads.js'

function decodeMessages(messages: unknown[], mode: 'lenient' | 'strict' = 'lenient'): PostHookConversation {
  const p = documentedExample()
  p.messages = messages
  const result = decodeConversation(p, { mode })
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

const base = { content: 'x', sentAt: 1427470439703, triggeredBy: null }

describe('message kinds', () => {
  it('an agent-typed message from an agent with no trigger is an agent message', () => {
    const [m] = decodeMessages([{ ...base, type: 'agent', from: 'agent:42' }]).messages
    expect(m).toMatchObject({ kind: 'agent', sender: { kind: 'agent', id: '42' } })
  })

  it('an agent id is the digits after agent: as a string, up to Number.MAX_SAFE_INTEGER', () => {
    const froms = ['agent:0', 'agent:7', 'agent:9007199254740991', 'agent:999999999999999', 'agent:42']
    for (const mode of ['lenient', 'strict'] as const) {
      const c = decodeMessages(
        froms.map((from) => ({ ...base, type: 'agent', from })),
        mode,
      )
      expect(c.messages.map((m) => m.sender)).toEqual(
        ['0', '7', '9007199254740991', '999999999999999', '42'].map((id) => ({ kind: 'agent', id })),
      )
      expect(c.warningCount).toBe(0)
    }
  })

  it('an agent-typed message sent by a trigger is a trigger message, whoever it shows as', () => {
    const c = decodeMessages([
      { ...base, type: 'agent', from: 'system', triggeredBy: 'Welcome' },
      { ...base, type: 'agent', from: 'agent:3', triggeredBy: 'Welcome' },
      { ...base, type: 'agent', from: 'system' },
    ])
    expect(c.messages.map((m) => [m.kind, m.sender])).toEqual([
      ['trigger', { kind: 'system' }],
      ['trigger', { kind: 'agent', id: '3' }],
      ['trigger', { kind: 'system' }],
    ])
  })

  it('a system message keeps its event code, known or not', () => {
    const c = decodeMessages([
      { ...base, type: 'system', from: 'agent:3', content: 'agent.join' },
      { ...base, type: 'system', from: 'system', content: 'close.agentClose' },
    ])
    expect(c.messages.map((m) => (m.kind === 'system' ? m.event : null))).toEqual([
      'agent.join',
      'close.agentClose',
    ])
  })

  it.each([
    ['agent:007', 'a leading zero'],
    ['agent:-1', 'a sign'],
    ['agent:1.5', 'a fraction'],
    ['agent:', 'no id'],
    ['agent:9007199254740992', 'an id beyond Number.MAX_SAFE_INTEGER'],
    ['agent:10000000000000000', 'seventeen digits'],
    ['agent:3 ', 'a trailing space'],
    ['visitor:', 'no key'],
    ['bot:1', 'an unknown prefix'],
    ['', 'nothing'],
  ])('from %j (%s) is unreadable: sender null, a warning in lenient, an issue in strict', (from) => {
    const c = decodeMessages([{ ...base, type: 'system', from }])
    expect(c.messages[0]?.sender).toBeNull()
    expect(c.warnings.map((w) => [w.path, w.code])).toEqual([['messages[0].from', 'invalid_type']])
    expect(() => decodeMessages([{ ...base, type: 'system', from }], 'strict')).toThrow('messages[0].from')
  })

  it('a visitor message from an agent keeps the message, without a sender', () => {
    const c = decodeMessages([{ ...base, type: 'visitor', from: 'agent:3' }])
    expect(c.messages[0]).toMatchObject({ kind: 'visitor', sender: null })
    expect(c.warnings[0]?.message).toBe(
      'messages[0].from: expected "visitor:<key>" in a visitor message, found "agent:3" (a string)',
    )
  })

  it('an agent message from a visitor is not attributed to any agent', () => {
    const c = decodeMessages([{ ...base, type: 'agent', from: 'visitor:abc' }])
    expect(c.messages[0]).toMatchObject({ kind: 'trigger', sender: null })
    expect(c.warnings.map((w) => w.path)).toEqual(['messages[0].from'])
  })

  it('an unknown type is read by its sender, with a warning', () => {
    const c = decodeMessages([
      { ...base, type: 'note', from: 'visitor:abc' },
      { ...base, type: 'note', from: 'agent:5' },
      { ...base, type: 'note', from: 'system' },
    ])
    expect(c.messages.map((m) => m.kind)).toEqual(['visitor', 'agent', 'system'])
    expect(c.warnings.map((w) => w.path)).toEqual([
      'messages[0].type',
      'messages[1].type',
      'messages[2].type',
    ])
    expect(() => decodeMessages([{ ...base, type: 'note', from: 'system' }], 'strict')).toThrow(
      'messages[0].type',
    )
  })

  it('keeps emoji, diacritics and an empty name as they came', () => {
    const c = decodeMessages([
      { ...base, type: 'visitor', from: 'visitor:k', name: '', content: 'Dobrý den 👋 żółć' },
    ])
    expect(c.messages[0]).toMatchObject({ name: '', content: 'Dobrý den 👋 żółć' })
  })
})
