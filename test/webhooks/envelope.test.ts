import { runInNewContext } from 'node:vm'
import {
  decodeWebhookEventOrThrow,
  parseWebhookEvent,
  parseWebhookEventOrThrow,
  SmartsuppDecodeError,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { decoded, failed, fixture } from './support.js'

describe('the envelope', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'x'],
    ['a number', 42],
  ])('a root that is %s is a failure in both modes', (_, value) => {
    for (const mode of ['lenient', 'strict'] as const) {
      const f = failed(value, { mode })
      expect(f.issues[0]).toMatchObject({ path: '', code: 'invalid_type', expected: 'a JSON object' })
      expect(f.message).toMatch(new RegExp(`^Not a valid Smartsupp webhook event \\(${mode}\\): \\(root\\)`))
    }
  })

  it.each([
    ['missing', undefined, 'missing'],
    ['a number', 42, 'invalid_type'],
    ['null', null, 'invalid_type'],
  ])('an `event` that is %s is a failure in both modes', (_, value, code) => {
    const root = fixture('conversation.opened')
    if (value === undefined) delete root.event
    else root.event = value
    for (const mode of ['lenient', 'strict'] as const) {
      expect(failed(root, { mode }).issues).toContainEqual(expect.objectContaining({ path: 'event', code }))
    }
  })

  it.each([
    ['missing', undefined],
    ['an array', []],
    ['a string', 'x'],
    ['null', null],
  ])('a `data` that is %s is a failure in both modes', (_, value) => {
    const root = fixture('conversation.opened')
    if (value === undefined) delete root.data
    else root.data = value
    for (const mode of ['lenient', 'strict'] as const) {
      expect(failed(root, { mode }).issues.map((i) => i.path)).toContain('data')
    }
  })

  it('lists every envelope issue at once', () => {
    const value = { event: 1, data: 2, timestamp: 'yesterday' }
    expect(failed(value).issues.map((i) => i.path)).toEqual(['event', 'data'])
    const strict = failed(value, { mode: 'strict' })
    expect(strict.issues.map((i) => i.path)).toEqual(['event', 'data', 'timestamp', 'account_id', 'app_id'])
    expect(strict.issueCount).toBe(5)
  })

  it('accepts an absent `type` in both modes (the production examples omit it)', () => {
    const root = fixture('conversation.opened')
    delete root.type
    expect(decoded(root, { mode: 'strict' }).type).toBeNull()
  })

  it('reads numeric ids as strings, with a warning (strict: an issue)', () => {
    const root = fixture('conversation.agent_joined')
    root.account_id = 881987
    ;(root.data as Record<string, unknown>).agent_id = 11
    const e = decoded(root)
    expect(e.accountId).toBe('881987')
    expect(e.known && e.event === 'conversation.agent_joined' && e.data.agentId).toBe('11')
    expect(e.warnings.map((w) => [w.path, w.message])).toEqual([
      ['account_id', 'account_id: expected an id (a string), found 881987 (read as a string)'],
      ['data.agent_id', 'data.agent_id: expected an id (a string), found 11 (read as a string)'],
    ])
    expect(failed(root, { mode: 'strict' }).issueCount).toBe(2)
  })

  it('accepts timestamps with an offset and without fractions', () => {
    const root = fixture('conversation.opened')
    root.timestamp = '2026-03-02T10:15:02+01:00'
    expect(decoded(root, { mode: 'strict' }).timestamp).toEqual(new Date('2026-03-02T09:15:02.000Z'))
  })

  it.each(['2026-03-02', '2026-03-02T09:15:02', '2026-02-29T09:15:02Z', 'Mon, 02 Mar 2026 09:15:02 GMT', ''])(
    'an invalid timestamp %j is null with a warning',
    (timestamp) => {
      const root = fixture('conversation.opened')
      root.timestamp = timestamp
      const e = decoded(root)
      expect(e.timestamp).toBeNull()
      expect(e.warnings[0]).toMatchObject({ path: 'timestamp', code: 'invalid_type' })
    },
  )

  it('caps the issues at maxIssues and counts the rest', () => {
    const root = fixture('conversation.opened')
    const conversation = (root.data as Record<string, Record<string, unknown>>).conversation as Record<
      string,
      unknown
    >
    for (const key of Object.keys(conversation)) conversation[key] = { wrong: true }
    const e = decoded(root, { maxIssues: 3 })
    expect(e.warnings).toHaveLength(3)
    expect(e.warningCount).toBe(Object.keys(conversation).length)
    const f = failed(root, { mode: 'strict', maxIssues: 0 })
    expect(f.issues).toEqual([])
    expect(f.issueCount).toBe(Object.keys(conversation).length)
  })
})

describe('parseWebhookEvent', () => {
  const text = JSON.stringify(fixture('conversation.agent_replied'))

  it('reads text, bytes, a BOM and bytes of another realm alike', () => {
    const bytes = new TextEncoder().encode(text)
    const foreign = runInNewContext('new Uint8Array(n)', { n: bytes.length }) as Uint8Array
    foreign.set(bytes)
    expect(foreign instanceof Uint8Array).toBe(false)
    for (const body of [text, `\ufeff${text}`, bytes, Buffer.from(text), foreign]) {
      const result = parseWebhookEvent(body)
      expect(result._tag).toBe('Right')
      if (result._tag === 'Right') expect(result.right.event).toBe('conversation.agent_replied')
    }
  })

  it('invalid JSON is a failure naming the webhook event', () => {
    const result = parseWebhookEvent('{"event": ')
    expect(result._tag === 'Left' && result.left.issues[0]?.code).toBe('invalid_json')
    expect(result._tag === 'Left' && result.left.message).toMatch(
      /^Not a valid Smartsupp webhook event \(lenient\)/,
    )
  })

  it('an already-parsed body points at decodeWebhookEvent', () => {
    const result = parseWebhookEvent(JSON.parse(text) as string)
    expect(result._tag === 'Left' && result.left.issues[0]?.message).toMatch(
      /pass it to decodeWebhookEvent\(value\)/,
    )
  })

  it('invalid UTF-8 is a warning in lenient mode and a failure in strict mode', () => {
    const encoded = new TextEncoder().encode(text.replace('"Petr Svoboda"', '"Petr X"'))
    const bytes = encoded.map((b) => (b === 88 /* X */ ? 0xff : b))
    const lenient = parseWebhookEvent(bytes)
    expect(lenient._tag === 'Right' && lenient.right.warnings[0]?.code).toBe('invalid_utf8')
    expect(parseWebhookEvent(bytes, { mode: 'strict' })._tag).toBe('Left')
  })

  it('the OrThrow variants return the event or throw a SmartsuppDecodeError', () => {
    expect(parseWebhookEventOrThrow(text).event).toBe('conversation.agent_replied')
    expect(decodeWebhookEventOrThrow(JSON.parse(text)).event).toBe('conversation.agent_replied')
    expect(() => parseWebhookEventOrThrow('[]')).toThrow(SmartsuppDecodeError)
    expect(() => decodeWebhookEventOrThrow({ event: 'x' })).toThrow(/Not a valid Smartsupp webhook event/)
  })

  it('invalid options throw a TypeError, as for conversations', () => {
    expect(() => parseWebhookEvent(text, { mode: 'loose' as 'strict' })).toThrow(TypeError)
  })
})
