import { types } from 'node:util'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import {
  type DecodeFailure,
  type DecodeIssue,
  decodeConversation,
  parseConversation,
  type RequestBody,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'

// Issue 9 item 6: whatever the host passes, decoding returns a result, and every issue is short.
const MAX_ISSUE_CHARS = 1000
const HUGE = 'x'.repeat(20 * 1024 * 1024)

type Result =
  | { _tag: 'Left'; left: DecodeFailure }
  | { _tag: 'Right'; right: { warnings: readonly DecodeIssue[] } }

function issuesOf(result: Result): readonly DecodeIssue[] {
  return result._tag === 'Left' ? result.left.issues : result.right.warnings
}

/** Every claim about one result: a result at all, bounded issues, at most `max` of them. */
function checkBounded(result: Result, max = 50): void {
  expect(['Left', 'Right']).toContain(result._tag)
  const issues = issuesOf(result)
  expect(issues.length).toBeLessThanOrEqual(max)
  for (const i of issues) {
    for (const part of [i.message, i.path, i.expected, i.found]) {
      expect(typeof part).toBe('string')
      expect(part.length).toBeLessThanOrEqual(MAX_ISSUE_CHARS)
    }
  }
  if (result._tag === 'Left') expect(result.left.message.length).toBeLessThanOrEqual(MAX_ISSUE_CHARS)
}

function failure(result: Result): DecodeFailure {
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left
}

/** The documented example with a getter at `channel.id` that throws `thrown`. */
function throwingAt(thrown: () => unknown): unknown {
  const p = documentedExample()
  Object.defineProperty(p.channel, 'id', {
    enumerable: true,
    get() {
      throw thrown()
    },
  })
  return p
}

function errorWithThrowingMessage(): Error {
  const e = new Error('x')
  Object.defineProperty(e, 'message', {
    get() {
      throw new Error('no message for you')
    },
  })
  return e
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const throwingTraps: ProxyHandler<object> = {
  get() {
    throw Object.create(null)
  },
  ownKeys() {
    throw errorWithThrowingMessage()
  },
  getPrototypeOf() {
    throw new Error(HUGE)
  },
  has() {
    throw Symbol('has')
  },
  getOwnPropertyDescriptor() {
    throw revokedProxy()
  },
}

describe('decoding never throws, whatever the host passes (issue 9 item 6)', () => {
  it('a getter that throws Object.create(null) is a failure, not a throw', () => {
    const result = decodeConversation(throwingAt(() => Object.create(null)))
    const f = failure(result)
    expect(f.issues.at(-1)).toMatchObject({ path: '', code: 'unexpected_error' })
    checkBounded(result)
  })

  it('an error whose message getter throws is a failure, not a throw', () => {
    const f = failure(decodeConversation(throwingAt(errorWithThrowingMessage)))
    expect(f.issues.at(-1)?.message).toContain('a thrown value that could not be read')
  })

  it('an error with a 20 MB message makes an issue of at most 1 000 characters', () => {
    const result = decodeConversation(throwingAt(() => new Error(HUGE)))
    const f = failure(result)
    expect(f.issues.at(-1)?.code).toBe('unexpected_error')
    checkBounded(result)
    expect(f.issues.at(-1)?.message.length).toBeLessThan(400)
  })

  it('a thrown huge string, a Symbol and a revoked Proxy are failures too', () => {
    for (const thrown of [() => HUGE, () => Symbol('s'), revokedProxy, () => new Proxy({}, throwingTraps)]) {
      const result = decodeConversation(throwingAt(thrown))
      expect(failure(result).issues.at(-1)?.code).toBe('unexpected_error')
      checkBounded(result)
    }
  })

  it('maxIssues: 0 keeps no issue for invalid JSON and for a value that is not a body', () => {
    for (const body of ['{"a":', 42 as unknown as RequestBody, { a: 1 } as unknown as RequestBody]) {
      const f = failure(parseConversation(body, { maxIssues: 0 }))
      expect(f.issues).toEqual([])
      expect(f.issueCount).toBe(1)
      expect(f.message).toMatch(/: 1 issue$/)
    }
    expect(
      failure(
        decodeConversation(
          throwingAt(() => 1),
          { maxIssues: 0 },
        ),
      ).issues,
    ).toEqual([])
  })

  it('bytes from another realm (a vm context, as in Jest) are bytes', () => {
    const bytes = runInNewContext('new Uint8Array(source)', { source: [...documentedExampleBytes] })
    expect(bytes instanceof Uint8Array).toBe(false)
    const result = parseConversation(bytes)
    expect(result._tag).toBe('Right')
    if (result._tag === 'Right') expect(result.right.id).toBe('55039')
  })

  it('objects and arrays from another realm decode like local ones', () => {
    const foreign = runInNewContext('JSON.parse(text)', { text: documentedExampleBytes.toString('utf8') })
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype)
    const result = decodeConversation(foreign, { mode: 'strict' })
    expect(result._tag).toBe('Right')
    if (result._tag === 'Right') {
      expect(result.right.messages).toHaveLength(6)
      expect(result.right.raw).toBe(foreign)
    }
  })

  it('reads own properties only: decodeConversation(Object.create(payload)) sees no field', () => {
    const f = failure(decodeConversation(Object.create(documentedExample())))
    expect(f.issues.map((i) => i.path)).toEqual(['accountId', 'beginAt', 'endAt', 'channel', 'messages'])
    // The same at every level: an inherited message field is missing, not read.
    const p = documentedExample()
    p.messages[3] = Object.create(p.messages[3])
    p.visitor = Object.assign(Object.create(p.visitor), { id: 1 })
    const nested = failure(decodeConversation(p))
    expect(nested.issues.map((i) => i.path)).toEqual([
      'messages[3].type',
      'messages[3].content',
      'messages[3].sentAt',
    ])
    const lenient = decodeConversation({ ...documentedExample(), visitor: p.visitor })
    if (lenient._tag === 'Left') throw new Error(lenient.left.message)
    expect(lenient.right.visitor?.name).toBeNull()
    expect(lenient.right.visitor?.id).toBe('1')
  })
})

/** Where a hostile value can go in the documented example: every holder and key, the root too. */
function places(root: unknown): [Record<string | number, unknown>, string | number][] {
  const out: [Record<string | number, unknown>, string | number][] = []
  const walk = (u: unknown) => {
    if (u === null || typeof u !== 'object' || types.isProxy(u)) return
    const proto = Object.getPrototypeOf(u)
    if (proto !== Object.prototype && proto !== Array.prototype) return
    const holder = u as Record<string | number, unknown>
    for (const key of Object.keys(holder)) {
      out.push([holder, Array.isArray(holder) ? Number(key) : key])
      // A getter placed by an earlier change is a leaf.
      if ('value' in (Object.getOwnPropertyDescriptor(holder, key) ?? {})) walk(holder[key])
    }
  }
  walk(root)
  return out
}

/** Values a host may hand over, none of which JSON.parse can make. */
const hostile: (() => unknown)[] = [
  revokedProxy,
  () => new Proxy({}, throwingTraps),
  () => new Proxy([], throwingTraps),
  () => new Proxy(documentedExample().channel, {}),
  () => runInNewContext('[1, "a", {}]'),
  () => runInNewContext('({ label: "L", value: 1 })'),
  () => runInNewContext('new Uint8Array([123, 125])'),
  () => Object.create(documentedExample().messages[0]),
  () => Object.create(null),
  () => 10n ** 5000n,
  () => Symbol('s'),
  () => () => 1,
  () => HUGE,
  () => new Error(HUGE),
]
const thrown: (() => unknown)[] = [
  () => Object.create(null),
  errorWithThrowingMessage,
  () => new Error(HUGE),
  () => HUGE,
  revokedProxy,
  () => new Proxy({}, throwingTraps),
]

describe('adversarial property: host values never make decoding throw', () => {
  it('throwing getters, proxies (revoked too), cross-realm arrays and bytes, anywhere in a payload', () => {
    const count = places(documentedExample()).length
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(count - 1),
            getter: fc.boolean(),
            value: fc.nat(hostile.length - 1),
            throws: fc.nat(thrown.length - 1),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom('lenient', 'strict'),
        fc.constantFrom(0, 1, 50),
        (changes, mode, maxIssues) => {
          const root = documentedExample()
          for (const c of changes) {
            const all = places(root)
            const [holder, key] = all[c.at % all.length] as [
              Record<string | number, unknown>,
              string | number,
            ]
            const throws = thrown[c.throws] as () => unknown
            const value = hostile[c.value] as () => unknown
            const descriptor: PropertyDescriptor = c.getter
              ? {
                  get() {
                    throw throws()
                  },
                }
              : { value: value(), writable: true }
            Object.defineProperty(holder, key, { enumerable: true, configurable: true, ...descriptor })
          }
          checkBounded(decodeConversation(root, { mode, maxIssues }), maxIssues)
          checkBounded(parseConversation(root as unknown as RequestBody, { mode, maxIssues }), maxIssues)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('the host value itself, as the body and as the decoded value', () => {
    for (const make of [...hostile, () => new Proxy(documentedExample(), throwingTraps)]) {
      for (const maxIssues of [0, 50]) {
        checkBounded(decodeConversation(make(), { maxIssues }), maxIssues)
        checkBounded(parseConversation(make() as RequestBody, { maxIssues }), maxIssues)
      }
    }
  })
})
