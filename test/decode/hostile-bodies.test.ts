import { describe, expect, it } from 'vitest'
import {
  type DecodeFailure,
  decodeConversation,
  decodeConversationOrThrow,
  parseConversation,
  parseConversationOrThrow,
  SmartsuppDecodeError,
} from '../../src/index.js'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'

function failure(result: ReturnType<typeof decodeConversation>): DecodeFailure {
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left
}

describe('bodies that are not a conversation object', () => {
  it.each([
    ['null', 'null'],
    ['[]', 'an array of 0 items'],
    ['"x"', '"x" (a string)'],
    ['42', '42'],
    ['true', 'true'],
  ])('%s is a failure at the root', (body, found) => {
    for (const mode of ['lenient', 'strict'] as const) {
      const f = failure(parseConversation(body, { mode }))
      expect(f.issues).toEqual([
        {
          path: '',
          code: 'invalid_type',
          expected: 'a JSON object',
          found,
          message: `(root): expected a JSON object, found ${found}`,
        },
      ])
      expect(f.mode).toBe(mode)
    }
  })

  it.each(['', '{', '{"accountId": 1,}', 'hello', '\u0000', '{"a":1}garbage'])(
    'invalid JSON %j is a failure',
    (body) => {
      const f = failure(parseConversation(body))
      expect(f.issues).toHaveLength(1)
      expect(f.issues[0]?.code).toBe('invalid_json')
      expect(f.issues[0]?.path).toBe('')
      expect(f.message).toMatch(
        /^Not a valid Smartsupp conversation \(lenient\): \(root\): expected a JSON document/,
      )
    },
  )

  it('invalid JSON of 10 MB gives a short message', () => {
    const f = failure(parseConversation(`{"x": "${'a'.repeat(10_000_000)}`))
    expect(f.message.length).toBeLessThan(400)
  })

  it('a JSON error message quoting a newline of the input stays on one line', () => {
    const f = failure(parseConversation('{\n\u001b[31m\n'))
    const controls = [...f.message, ...(f.issues[0]?.message ?? '')].filter((c) => c < ' ')
    expect(controls).toEqual([])
  })

  it('bytes too many for one JavaScript string are a failure, not a throw', () => {
    // One byte past V8's longest string (2^29 - 24 characters).
    const huge = new Uint8Array(2 ** 29 - 23).fill(0x20)
    for (const mode of ['lenient', 'strict'] as const) {
      const f = failure(parseConversation(huge, { mode }))
      expect(f.issues.map((i) => i.code)).toEqual(['unexpected_error'])
      expect(f.issues[0]?.found).toBe('536870889 bytes')
    }
  }, 60_000)

  it('a non-body argument says what to do', () => {
    const f = failure(parseConversation({ accountId: 1 } as unknown as string))
    expect(f.issues[0]?.message).toContain('pass it to decodeConversation(value) instead')
  })
})

describe('bytes', () => {
  it('tolerates a leading BOM in bytes and in a string', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), documentedExampleBytes])
    expect(parseConversation(withBom, { mode: 'strict' })._tag).toBe('Right')
    expect(parseConversation(`\uFEFF${documentedExampleBytes.toString()}`, { mode: 'strict' })._tag).toBe(
      'Right',
    )
  })

  it('reads invalid UTF-8 with U+FFFD and a warning in lenient mode', () => {
    const p = documentedExample()
    p.visitor.name = 'NAME'
    const bytes = Buffer.from(JSON.stringify(p))
    const at = bytes.indexOf('NAME')
    bytes[at] = 0xff
    const result = parseConversation(bytes)
    if (result._tag === 'Left') throw new Error(result.left.message)
    expect(result.right.visitor?.name).toBe('\uFFFDAME')
    expect(result.right.warnings.map((w) => w.code)).toEqual(['invalid_utf8'])
  })

  it('fails on invalid UTF-8 in strict mode', () => {
    const bytes = Buffer.from(documentedExampleBytes)
    bytes[bytes.indexOf('Dusan')] = 0xc3
    const f = failure(parseConversation(bytes, { mode: 'strict' }))
    expect(f.issues.map((i) => i.code)).toEqual(['invalid_utf8'])
  })
})

describe('keys that could pollute a prototype', () => {
  const body = JSON.stringify(documentedExample())
    .replace(
      '"accountId"',
      '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"accountId"',
    )
    .replace('"chatId"', '"__proto__":{"label":"L","value":1},"constructor":{"label":"C","value":2},"chatId"')
    .replace('"type":"visitor"', '"__proto__":{"polluted":1},"type":"visitor"')

  it('decodes, and neither the model nor raw gains inherited properties', () => {
    const result = parseConversation(body)
    if (result._tag === 'Left') throw new Error(result.left.message)
    const c = result.right
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(c.raw)).toBe(Object.prototype)
    expect((c.raw as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.hasOwn(c.raw, '__proto__')).toBe(true)
    expect((c as unknown as Record<string, unknown>).polluted).toBeUndefined()
    expect((c.messages[0] as unknown as Record<string, unknown>).polluted).toBeUndefined()
    const variables = c.visitor?.variables ?? {}
    expect(Object.getPrototypeOf(variables)).toBeNull()
    expect(Object.keys(variables)).toEqual(['__proto__', 'constructor', 'chatId', 'chatPackage', 'userId'])
    expect(Object.getOwnPropertyDescriptor(variables, '__proto__')?.value).toEqual({ label: 'L', value: 1 })
    expect(variables.constructor).toEqual({ label: 'C', value: 2 })
    expect(c.warnings.map((w) => w.path)).toEqual(['messages[0].__proto__', '__proto__', 'constructor'])
  })
})

describe('inputs that are not JSON at all', () => {
  it('a throwing getter is a failure, not a throw', () => {
    const p = documentedExample()
    Object.defineProperty(p, 'channel', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const f = failure(decodeConversation(p))
    expect(f.issues.at(-1)).toMatchObject({ code: 'unexpected_error', path: '' })
    expect(f.issues.at(-1)?.message).toContain('boom')
  })

  it('a revoked proxy or a throwing trap is a failure (not a body) from parseConversation too', () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const trap = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap')
        },
      },
    )
    // Neither is a string or bytes (ArrayBuffer.isView runs no trap), so neither is a body.
    for (const [body, found] of [
      [proxy, 'an object that cannot be read'],
      [trap, 'an object'],
    ] as const) {
      const result = parseConversation(body as unknown as string)
      expect(result._tag === 'Left' && result.left.issues.map((i) => [i.code, i.found])).toEqual([
        ['invalid_type', found],
      ])
    }
  })

  it('with maxIssues 0, an unreadable input keeps no issue and counts one', () => {
    const p = documentedExample()
    Object.defineProperty(p, 'channel', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const f = failure(decodeConversation(p, { maxIssues: 0 }))
    expect(f.issues).toEqual([])
    expect(f.issueCount).toBe(1)
  })

  it('a revoked proxy is a failure, not a throw', () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(failure(decodeConversation(proxy)).issues[0]?.code).toBe('unexpected_error')
  })

  it.each([undefined, Symbol('x'), () => 1, 10n, Number.NaN])('%s is a failure', (value) => {
    expect(failure(decodeConversation(value)).issues[0]?.path).toBe('')
  })
})

describe('the issue cap', () => {
  it('keeps the first 50 issues and counts the rest', () => {
    const p = documentedExample()
    p.messages = Array.from({ length: 1000 }, () => ({ type: 1, content: 2, sentAt: 'x' }))
    const f = failure(decodeConversation(p))
    expect(f.issues).toHaveLength(50)
    expect(f.issueCount).toBe(3000)
    expect(f.message).toContain('(and 2999 more issues)')
    expect(f.issues[49]?.path).toBe('messages[16].content')
  })

  it('caps warnings the same way', () => {
    const p = documentedExample()
    p.messages = Array.from({ length: 100 }, (_, i) => ({ ...p.messages[0], sentAt: i, extra: i }))
    const result = decodeConversation(p, { maxIssues: 5 })
    if (result._tag === 'Left') throw new Error(result.left.message)
    expect(result.right.warnings).toHaveLength(5)
    expect(result.right.warningCount).toBe(100)
  })

  it('shortens long values in messages', () => {
    const p = documentedExample()
    p.channel.id = 'x'.repeat(1_000_000)
    const f = failure(decodeConversation(p))
    expect(f.issues[0]?.found).toBe(`"${'x'.repeat(40)}"… (a string of 1000000 characters)`)
  })

  it('cuts a huge key in a path, so the issue stays small', () => {
    const p = documentedExample()
    p.channel['k'.repeat(1_000_000)] = 1
    const result = decodeConversation(p)
    if (result._tag === 'Left') throw new Error(result.left.message)
    const [warning] = result.right.warnings
    expect(warning?.path).toBe(`channel["${'k'.repeat(100)}"…]`)
    expect(warning?.message.length).toBeLessThan(300)
  })

  it('rejects invalid options with a TypeError', () => {
    expect(() => decodeConversation({}, { mode: 'loose' as 'strict' })).toThrow(TypeError)
    expect(() => parseConversation('{}', { maxIssues: -1 })).toThrow(TypeError)
    expect(() => decodeConversation({}, { maxIssues: 1.5 })).toThrow(TypeError)
  })
})

describe('the throwing variants', () => {
  it('return the conversation', () => {
    expect(parseConversationOrThrow(documentedExampleBytes).id).toBe('55039')
    expect(decodeConversationOrThrow(documentedExample()).id).toBe('55039')
  })

  it('throw a SmartsuppDecodeError carrying the same failure', () => {
    const expected = failure(parseConversation('[]'))
    try {
      parseConversationOrThrow('[]')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SmartsuppDecodeError)
      expect(e).toBeInstanceOf(Error)
      const error = e as SmartsuppDecodeError
      expect(error.failure).toEqual(expected)
      expect(error.issues).toBe(error.failure.issues)
      expect(error.message).toBe(expected.message)
      expect(error.name).toBe('SmartsuppDecodeError')
    }
    expect(() => decodeConversationOrThrow(null)).toThrow(SmartsuppDecodeError)
  })
})
