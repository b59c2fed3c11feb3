import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import {
  annotateLeaf,
  codecNode,
  documentedKeys,
  documentedPaths,
  fieldCodec,
} from '../../src/codecs/codec-structure.js'
import { DOCUMENTED_KEYS } from '../../src/codecs/documented-keys.js'
import {
  AgentRef,
  ConversationPayload,
  closedObject,
  EpochMillis,
  Integer,
  LegacyConversationPayload,
  MessagePayload,
  VisitorRef,
} from '../../src/index.js'

describe('codecNode: the structure the walkers derive from', () => {
  it('reads closed objects, t.type, t.partial and their intersection', () => {
    const closed = codecNode(closedObject('X', { a: t.string }, { b: t.number }))
    expect(closed).toMatchObject({ kind: 'object', closed: true, name: 'X' })
    const open = codecNode(t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]))
    expect(open.kind === 'object' && Object.keys(open.required)).toEqual(['a'])
    expect(open.kind === 'object' && Object.keys(open.optional)).toEqual(['b'])
    expect(codecNode(t.readonly(t.type({ a: t.string }))).kind).toBe('object')
    expect(codecNode(t.exact(t.type({ a: t.string }))).kind).toBe('object')
  })

  it('reads unions, literals, keyof, null, arrays, records and primitives', () => {
    expect(codecNode(MessagePayload)).toMatchObject({ kind: 'union' })
    expect(codecNode(t.literal('x'))).toEqual({ kind: 'literal', name: '"x"', values: ['x'] })
    expect(codecNode(t.keyof({ a: null, b: null }))).toMatchObject({ values: ['a', 'b'] })
    expect(codecNode(t.null)).toMatchObject({ kind: 'literal', values: [null] })
    expect(codecNode(t.array(t.string))).toMatchObject({ kind: 'array' })
    expect(codecNode(t.readonlyArray(t.string))).toMatchObject({ kind: 'array' })
    expect(codecNode(t.record(t.string, t.number))).toMatchObject({ kind: 'record' })
    expect([t.string, t.number, t.boolean].map((c) => codecNode(c).kind)).toEqual([
      'string',
      'number',
      'boolean',
    ])
  })

  it('reads custom leaves by their annotation', () => {
    for (const codec of [Integer, EpochMillis, VisitorRef, AgentRef]) {
      expect(codecNode(codec).kind).toBe('leaf')
    }
    const Even = annotateLeaf(
      t.refinement(t.number, (n) => n % 2 === 0, 'Even'),
      {
        jsonSchema: { type: 'integer', multipleOf: 2 },
        sample: { kind: 'integer', min: 0, max: 0 },
      },
    )
    expect(codecNode(Even)).toMatchObject({ kind: 'leaf', name: 'Even' })
  })

  it('refuses, naming it, a codec it cannot read: no field is ever skipped silently', () => {
    const Unannotated = new t.Type<number>('Unannotated', t.number.is, t.number.validate, t.identity)
    expect(() => codecNode(Unannotated)).toThrow(/Unannotated.*annotateLeaf/)
    expect(() => codecNode(t.record(t.keyof({ a: null }), t.string))).toThrow(TypeError)
    expect(() => documentedPaths(t.type({ ok: t.string, bad: Unannotated }))).toThrow(/Unannotated/)
  })
})

describe('documented keys and paths, from the codecs', () => {
  it('lists every documented path of both forms', () => {
    const current = documentedPaths(ConversationPayload)
    expect(current).toContain('visitor.variables.*.value')
    expect(current).toContain('messages[].name')
    expect(current).toContain('channel.ratingDesc')
    expect(current).toHaveLength(new Set(current).size)
    const legacy = documentedPaths(LegacyConversationPayload)
    expect(legacy).toContain('visitor.groupKey')
    expect(legacy).toContain('messages[].email')
  })

  it('the decoder and encoder key lists are the codecs’ keys', () => {
    expect([...DOCUMENTED_KEYS.message].sort()).toEqual(
      ['type', 'from', 'content', 'sentAt', 'triggeredBy', 'name', 'email'].sort(),
    )
    expect(DOCUMENTED_KEYS.visitor.has('groupKey')).toBe(true)
    expect(DOCUMENTED_KEYS.conversation).toEqual(documentedKeys(ConversationPayload))
    expect(fieldCodec(MessagePayload, 'from')).toBe(VisitorRef)
    expect(fieldCodec(MessagePayload, 'nope')).toBeUndefined()
  })
})
