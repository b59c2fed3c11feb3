import fc from 'fast-check'
import {
  ConversationPayload,
  type DecodeFailure,
  decodeConversation,
  type PostHookConversation,
  parseConversation,
  type RequestBody,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { conversationPayload } from '../support/arbitraries.js'
import { documentedExample } from '../support/payloads.js'
import { applyMutations, type HostileBody, hostileBody } from './hostile-body.js'
import { foreignPrototype, issuePathExists, jsonEqual } from './json-tree.js'

const replacingUtf8 = new TextDecoder('utf-8')
const MODES = ['lenient', 'strict'] as const
const PROTO = '__proto__'
/** describeValue cuts values at 40 characters; paths of known fields are short. */
const MAX_MESSAGE_CHARS = 400

type Result = { _tag: 'Left'; left: DecodeFailure } | { _tag: 'Right'; right: PostHookConversation }

/** What JSON.parse makes of a body, or `undefined` when it is not JSON. */
function parsed(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

/** Every claim of the issue about one decode of `expected` (the input as JSON.parse reads it). */
function checkResult(result: Result, expected: { value: unknown } | undefined, bounded: boolean): void {
  expect(['Left', 'Right']).toContain(result._tag)
  const issues = result._tag === 'Left' ? result.left.issues : result.right.warnings
  for (const issue of issues) {
    if (expected === undefined || issue.code === 'invalid_json' || issue.code === 'invalid_utf8') {
      expect(issue.path).toBe('')
    } else if (!issuePathExists(expected.value, issue)) {
      throw new Error(`issue path ${JSON.stringify(issue.path)} is not in the input`)
    }
    if (bounded) expect(issue.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS)
  }
  if (result._tag === 'Left') {
    expect(result.left.issueCount).toBeGreaterThanOrEqual(result.left.issues.length)
    return
  }
  const conversation = result.right
  expect(expected).toBeDefined()
  if (!jsonEqual(conversation.raw, expected?.value)) throw new Error('raw does not deep-equal the input')
  const { raw: _raw, ...model } = conversation
  const foreign = foreignPrototype(model) ?? foreignPrototype(conversation.raw)
  if (foreign !== undefined) throw new Error(foreign)
  if (conversation.visitor?.variables != null) {
    expect(Object.getPrototypeOf(conversation.visitor.variables)).toBeNull()
  }
}

/** Huge keys make long paths (keys are not shortened), so only value mutations bound messages. */
function decodeEveryWay(body: HostileBody): void {
  const fromText = parsed(body.text)
  const fromBytes = parsed(replacingUtf8.decode(body.bytes))
  const inputs: [RequestBody, { value: unknown } | undefined][] = [
    [body.text, fromText],
    [body.bytes, fromBytes],
  ]
  for (const mode of MODES) {
    for (const [input, expected] of inputs) checkResult(parseConversation(input, { mode }), expected, true)
    if (fromText !== undefined) {
      const result = decodeConversation(fromText.value, { mode })
      checkResult(result, fromText, true)
      if (result._tag === 'Right') expect(result.right.raw).toBe(fromText.value)
    }
  }
}

describe('hostile input', () => {
  it('mutated payloads never throw; issues point into the input; raw is the input; no inherited properties', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort()
    fc.assert(fc.property(hostileBody(), decodeEveryWay), { numRuns: 300 })
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  }, 120_000)

  it('strict decoding agrees with the io-ts codec on hostile bodies', () => {
    fc.assert(
      fc.property(hostileBody(), (body) => {
        const value = parsed(body.text)
        if (value === undefined) return
        const strict = decodeConversation(value.value, { mode: 'strict' })
        expect(strict._tag === 'Right').toBe(ConversationPayload.is(value.value))
      }),
      { numRuns: 300 },
    )
  }, 120_000)

  it('arbitrary JSON with hostile keys, as text and as a value', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'accountId', 'messages', 'channel', 'visitor'),
      fc.string({ maxLength: 6 }),
    )
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 0 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value) ?? 'null'
        decodeEveryWay({ text, bytes: Buffer.from(text, 'utf8'), mutations: [] })
      }),
      { numRuns: 300 },
    )
  })

  it('each kind of mutation on every place of the documented example', () => {
    const example = documentedExample()
    const kinds = [
      { kind: 'drop' },
      { kind: 'retype', value: [] },
      { kind: 'retype', value: 'text' },
      { kind: 'add', key: '__proto__', value: { polluted: true } },
      { kind: 'add', key: 'constructor', value: { prototype: { polluted: true } } },
      { kind: 'add', key: 'prototype', value: null },
      { kind: 'swap' },
      { kind: 'token', token: '1e309' },
      { kind: 'token', token: '-0' },
      { kind: 'token', token: '9007199254740993' },
      { kind: 'token', token: '"\\ud800"' },
      { kind: 'huge', length: 1_000_000 },
      { kind: 'deep', depth: 10_000, arrays: true },
      { kind: 'deep', depth: 10_000, arrays: false },
      { kind: 'bytes', bytes: [0xff] },
      { kind: 'bytes', bytes: [0xed, 0xa0, 0x80] },
    ] as const
    let count = 0
    for (let at = 0; at < 200; at += 7) {
      for (const k of kinds) {
        decodeEveryWay(applyMutations(example, [{ ...k, at }]))
        count++
      }
    }
    expect(count).toBeGreaterThan(400)
  }, 120_000)

  it('a valid payload with a 10 000-level unknown field decodes, with one warning and raw intact', () => {
    const body = applyMutations(documentedExample(), [{ kind: 'deep', at: 0, depth: 10_000, arrays: false }])
    const result = parseConversation(body.text)
    if (result._tag === 'Left') throw new Error(result.left.message)
    expect(result.right.warningCount).toBe(1)
    expect(result.right.warnings[0]?.code).toBe('unknown_field')
    expect(jsonEqual(result.right.raw, JSON.parse(body.text))).toBe(true)
  })

  it('1e309, -0 and 2^53 + 1 in essential fields are errors, not values', () => {
    for (const token of ['1e309', '-1e309', '9007199254740993']) {
      const text = JSON.stringify(documentedExample()).replace('"accountId":208', `"accountId":${token}`)
      const result = parseConversation(text)
      expect(result._tag).toBe('Left')
      if (result._tag === 'Left') expect(result.left.issues[0]?.path).toBe('accountId')
    }
    const minusZero = JSON.stringify(documentedExample()).replace('"accountId":208', '"accountId":-0')
    const result = parseConversation(minusZero, { mode: 'strict' })
    if (result._tag === 'Left') throw new Error(result.left.message)
    // -0 is the integer 0: the model holds it in decimal, and raw keeps it as received.
    expect(result.right.accountId).toBe('0')
    expect(Object.is(result.right.raw.accountId, -0)).toBe(true)
  })

  it('__proto__ in the body stays data: no prototype changes, visitor.variables keeps it as a key', () => {
    const text = JSON.stringify(documentedExample())
      .replace('"chatId":', '"__proto__":{"label":"p","value":1},"chatId":')
      .replace('"accountId":208', '"__proto__":{"polluted":true},"accountId":208')
    const result = parseConversation(text)
    if (result._tag === 'Left') throw new Error(result.left.message)
    const conversation = result.right
    expect(Object.getPrototypeOf(conversation.raw)).toBe(Object.prototype)
    expect(Object.hasOwn(conversation.raw, '__proto__')).toBe(true)
    expect((conversation as unknown as Record<string, unknown>).polluted).toBeUndefined()
    const variables = conversation.visitor?.variables ?? {}
    expect(Object.getOwnPropertyDescriptor(variables, PROTO)?.value).toEqual({ label: 'p', value: 1 })
    expect(conversation.warnings.map((w) => w.path)).toEqual(['__proto__'])
  })

  it('every generated valid payload survives the round trip through bytes with a BOM', () => {
    fc.assert(
      fc.property(conversationPayload({ maxMessages: 4 }), (p) => {
        const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(p), 'utf8')])
        const result = parseConversation(bytes, { mode: 'strict' })
        if (result._tag === 'Left') throw new Error(result.left.message)
        expect(jsonEqual(result.right.raw, p)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})
