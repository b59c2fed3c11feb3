import { describe, expect, it } from 'vitest'
import { at, decoded, failed, fixture } from './support.js'

const LEVELS: [Parameters<typeof fixture>[0], string][] = [
  ['conversation.agent_replied', ''],
  ['conversation.agent_replied', 'data'],
  ['conversation.agent_replied', 'data.conversation'],
  ['conversation.agent_replied', 'data.conversation.channel'],
  ['conversation.agent_replied', 'data.message'],
  ['conversation.bot_replied', 'data.message.content'],
  ['contact.updated', 'data.contact'],
  ['conversation.agent_left', 'data'],
]

describe('unknown fields at every level', () => {
  it.each(LEVELS)('%s: %s', (name, path) => {
    const root = fixture(name)
    at(root, path).future_field = { nested: [1, 2] }
    at(root, path)['a key with spaces'] = 1
    const where = (key: string) => (path === '' ? key : `${path}.${key}`)
    const lenient = decoded(root)
    expect(lenient.warnings.map((w) => [w.path, w.code])).toEqual([
      [where('future_field'), 'unknown_field'],
      [`${path}["a key with spaces"]`, 'unknown_field'],
    ])
    expect(at(lenient.raw as Record<string, unknown>, path).future_field).toEqual({ nested: [1, 2] })
    expect(failed(root, { mode: 'strict' }).issues.map((i) => i.path)).toContain(where('future_field'))
  })

  it('an unknown event keeps any data and has no warning for it', () => {
    const root = fixture('unknown')
    at(root, 'data').anything = { goes: true }
    expect(decoded(root, { mode: 'strict' }).warnings).toEqual([])
  })

  it('__proto__ and other odd keys are kept as data, never as prototypes', () => {
    const root = JSON.parse(
      JSON.stringify(fixture('conversation.opened')).replace(
        '"data":{',
        '"data":{"__proto__":{"polluted":1},"constructor":2,',
      ),
    ) as Record<string, unknown>
    const e = decoded(root)
    expect(e.warnings.map((w) => w.path)).toEqual(['data.__proto__', 'data.constructor'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
