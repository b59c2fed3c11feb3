import { describe, expect, it } from 'vitest'
import { decodeConversation, LegacyConversationPayload, type PostHookConversation } from '../../src/index.js'
import { documentedExample, legacyExample } from '../support/payloads.js'

function success(result: ReturnType<typeof decodeConversation>): PostHookConversation {
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('the pre-2018 form', () => {
  it('is what the legacy codec describes', () => {
    expect(LegacyConversationPayload.is(legacyExample())).toBe(true)
  })

  it('decodes leniently to the same model as the current form, with legacy warnings', () => {
    const current = success(decodeConversation(documentedExample()))
    const legacy = success(decodeConversation(legacyExample()))
    const { raw: _a, warnings: _b, warningCount: _c, ...currentModel } = current
    const { raw: _d, warnings, warningCount, ...legacyModel } = legacy
    expect(legacyModel).toStrictEqual(currentModel)
    expect(new Set(warnings.map((w) => w.code))).toEqual(new Set(['legacy_form']))
    // groupKey + six messages' from + six messages' email
    expect(warningCount).toBe(13)
    expect(warnings.map((w) => w.path)).toContain('visitor.groupKey')
    expect(warnings.map((w) => w.path)).toContain('messages[3].from')
    expect(warnings.map((w) => w.path)).toContain('messages[0].email')
  })

  it('reads each old sender form', () => {
    const c = success(decodeConversation(legacyExample()))
    expect(c.messages.map((m) => m.sender)).toEqual([
      { kind: 'visitor', key: 'mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015' },
      { kind: 'agent', id: '3' },
      { kind: 'system' },
      { kind: 'agent', id: '3' },
      { kind: 'visitor', key: 'mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015' },
      { kind: 'system' },
    ])
    expect(c.messages.map((m) => m.kind)).toEqual([
      'visitor',
      'system',
      'trigger',
      'agent',
      'visitor',
      'system',
    ])
  })

  it('says what it read each old field as', () => {
    const c = success(decodeConversation(legacyExample()))
    const byPath = new Map(c.warnings.map((w) => [w.path, w.message]))
    expect(byPath.get('messages[3].from')).toBe('messages[3].from: pre-2018 form 3; read as "agent:<id>"')
    expect(byPath.get('messages[2].from')).toBe('messages[2].from: pre-2018 form null; read as "system"')
    expect(byPath.get('visitor.groupKey')).toBe('visitor.groupKey: pre-2018 form null; read as visitor.group')
  })

  it('keeps a legacy groupKey value as the group', () => {
    const p = legacyExample()
    p.visitor.groupKey = 'vip'
    expect(success(decodeConversation(p)).visitor?.group).toBe('vip')
  })

  it('prefers group when both group and groupKey are present', () => {
    const p = documentedExample()
    p.visitor.group = 'new'
    p.visitor.groupKey = 'old'
    const c = success(decodeConversation(p))
    expect(c.visitor?.group).toBe('new')
    expect(c.warnings.map((w) => w.path)).toEqual(['visitor.groupKey'])
  })

  it('fails strict mode, listing every old field', () => {
    const result = decodeConversation(legacyExample(), { mode: 'strict' })
    if (result._tag === 'Right') throw new Error('expected a failure')
    expect(result.left.issueCount).toBe(13)
    expect(result.left.issues.every((i) => i.code === 'legacy_form')).toBe(true)
  })
})
