import type { Conversation } from 'smartsupp-hook'
import { describe, expect, it, vi } from 'vitest'
import { checkRequest } from '../../src/receive/check-request.js'
import { receiveBody } from '../../src/receive/receive-body.js'
import type { ReceiveContext } from '../../src/receive/receive-context.js'
import {
  DEFAULT_TIMEOUT_MS,
  type ReceiveOptions,
  resolveReceiveOptions,
} from '../../src/receive/receive-options.js'
import { SmartsuppTimeoutError } from '../../src/receive/smartsupp-timeout-error.js'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'

const head = { method: 'post', url: '/hook', headers: {}, request: 'the request' }
const resolve = (options: Partial<ReceiveOptions<string>>) =>
  resolveReceiveOptions<string>({ onConversation: () => {}, ...options })

describe('checkRequest', () => {
  const options = resolve({ token: 'tok', limit: 10 })
  it('answers 405, then 401, then 413 by content-length, else null', () => {
    expect(checkRequest({ ...head, method: 'GET' }, options)?.status).toBe(405)
    expect(checkRequest(head, options)?.status).toBe(401)
    expect(
      checkRequest({ ...head, url: '/hook?token=tok', headers: { 'content-length': '11' } }, options)?.status,
    ).toBe(413)
    expect(
      checkRequest({ ...head, url: '/hook?token=tok', headers: { 'content-length': '10' } }, options),
    ).toBeNull()
    expect(checkRequest({ ...head, url: '/hook/tok' }, options)).toBeNull()
  })
})

describe('receiveBody', () => {
  it('decodes bytes, text and parsed values alike, and calls onConversation once', async () => {
    const seen: [Conversation, ReceiveContext<string>][] = []
    const options = resolve({ onConversation: (c, ctx) => void seen.push([c, ctx]) })
    const bodies = [
      { kind: 'bytes', bytes: documentedExampleBytes },
      { kind: 'text', text: documentedExampleBytes.toString('utf8') },
      { kind: 'parsed', value: documentedExample() },
    ] as const
    for (const body of bodies) {
      const outcome = await receiveBody(head, body, options)
      expect(outcome).toMatchObject({ status: 200, body: { ok: true }, result: 'delivered' })
    }
    expect(seen.map(([c]) => c.id)).toEqual(['55039', '55039', '55039'])
    expect(seen.map(([, ctx]) => ctx.rawBodySource)).toEqual(['bytes', 'text', 'parsed'])
    expect(seen[0]?.[1]).toMatchObject({
      method: 'POST',
      url: '/hook',
      request: 'the request',
      rawBodyNote: null,
    })
    expect(seen[0]?.[1].rawBody).toBe(documentedExampleBytes)
    expect(new TextDecoder().decode(seen[2]?.[1].rawBody)).toBe(JSON.stringify(documentedExample()))
    expect(seen[2]?.[1].rawBodyNote).toMatch(/already parsed/)
  })

  it('waits for onConversation before answering', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let answered = false
    const pending = receiveBody(
      head,
      { kind: 'bytes', bytes: documentedExampleBytes },
      resolve({ onConversation: () => gate }),
    ).then((o) => {
      answered = true
      return o
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(answered).toBe(false)
    release()
    expect((await pending).status).toBe(200)
  })

  it('answers 500 and calls onError when onInvalid throws; survives onError throwing too', async () => {
    const errors: unknown[] = []
    const boom = new Error('store down')
    const options = resolve({
      onInvalid: () => {
        throw boom
      },
      onError: (e) => {
        errors.push(e)
        throw new Error('and the logger too')
      },
    })
    const outcome = await receiveBody(head, { kind: 'text', text: 'not json' }, options)
    expect(outcome).toMatchObject({ status: 500, result: 'failed' })
    expect(outcome.failure?.issues[0]?.code).toBe('invalid_json')
    expect(errors).toEqual([boom])
  })

  it('keeps the answer 400 with { error, issues } when onInvalid returns nothing', async () => {
    const outcome = await receiveBody(
      head,
      { kind: 'parsed', value: 42 },
      resolve({ onInvalid: async () => {} }),
    )
    expect(outcome.status).toBe(400)
    expect(outcome.body).toMatchObject({ error: expect.stringMatching(/Not a valid Smartsupp conversation/) })
    expect(outcome.failure?.issueCount).toBe(1)
  })
})

describe('receiveBody without onInvalid', () => {
  it('answers 400 and logs the failure, so no body goes unnoticed', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const outcome = await receiveBody(head, { kind: 'text', text: '{"accountId": "x"}' }, resolve({}))
      expect(outcome.status).toBe(400)
      expect(spy).toHaveBeenCalledTimes(1)
      expect(String(spy.mock.calls[0]?.[0])).toMatch(/answered 400 and not kept \(18 bytes\); pass onInvalid/)
    } finally {
      spy.mockRestore()
    }
  })
})

describe('receiveBody with a bad onInvalid reply', () => {
  it.each([99, 600, 404.5, Number.NaN, '200', null])(
    'answers 500 and calls onError for { status: %o }',
    async (status) => {
      const errors: unknown[] = []
      const options = resolve({
        onInvalid: () => ({ status }) as never,
        onError: (e) => void errors.push(e),
      })
      const outcome = await receiveBody(head, { kind: 'text', text: '[]' }, options)
      expect(outcome).toMatchObject({ status: 500, result: 'failed' })
      expect(outcome.body).toEqual({ error: 'The receiver failed while handling this conversation' })
      expect(String(errors[0])).toMatch(
        /TypeError: smartsupp-hook: onInvalid returned \{ status: .* from 200 to 599/,
      )
    },
  )

  it('answers 500 and calls onError for a body JSON cannot serialise', async () => {
    const errors: unknown[] = []
    const options = resolve({
      onInvalid: () => ({ status: 200, body: { n: 1n } as never }),
      onError: (e) => void errors.push(e),
    })
    expect((await receiveBody(head, { kind: 'text', text: '[]' }, options)).status).toBe(500)
    expect(String(errors[0])).toMatch(/cannot serialise/)
  })

  it.each([200, 202, 422, 599])('keeps a valid status %i', async (status) => {
    const outcome = await receiveBody(
      head,
      { kind: 'text', text: '[]' },
      resolve({ onInvalid: () => ({ status }) }),
    )
    expect(outcome.status).toBe(status)
    expect(outcome.body).toMatchObject({ issues: [expect.objectContaining({ code: expect.any(String) })] })
  })
})

describe('resolveReceiveOptions: token', () => {
  it('throws a TypeError naming the option and the fix when token is present but undefined', () => {
    expect(() => resolve({ token: undefined as never })).toThrow(TypeError)
    expect(() => resolve({ token: undefined as never })).toThrow(
      /options\.token is undefined.*leave the token key out/,
    )
  })

  it('checks no token when the key is left out', () => {
    expect(resolve({}).token).toBeNull()
  })
})

describe('resolveReceiveOptions: limit', () => {
  it('defaults to 1 MiB (1 048 576 bytes)', () => {
    expect(resolveReceiveOptions({ onConversation() {} }).limit).toBe(1_048_576)
  })
})

describe('receiveBody deadline (timeoutMs)', () => {
  it('answers 503 once onConversation outlives timeoutMs, calls onError once, and ignores the late result', async () => {
    const errors: unknown[] = []
    let finish = () => {}
    const options = resolve({
      timeoutMs: 20,
      onConversation: () => new Promise<void>((done) => (finish = done)),
      onError: (error) => void errors.push(error),
    })
    const outcome = await receiveBody(head, { kind: 'bytes', bytes: documentedExampleBytes }, options)
    expect(outcome).toMatchObject({ status: 503, result: 'timed_out', conversation: { id: '55039' } })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(SmartsuppTimeoutError)
    finish()
    await new Promise((r) => setTimeout(r, 5))
    expect(errors).toHaveLength(1)
  })

  it('answers 500 within the deadline when onConversation throws and onError never settles', async () => {
    const options = resolve({
      timeoutMs: 20,
      onConversation: () => {
        throw new Error('boom')
      },
      onError: () => new Promise(() => {}),
    })
    const outcome = await receiveBody(head, { kind: 'bytes', bytes: documentedExampleBytes }, options)
    expect(outcome).toMatchObject({ status: 500, result: 'failed' })
  })

  it('defaults timeoutMs to 10 s and refuses a timeout that is not 1 to 2^31-1 ms', () => {
    expect(resolve({}).timeoutMs).toBe(DEFAULT_TIMEOUT_MS)
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000)
    for (const timeoutMs of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => resolve({ timeoutMs })).toThrow(/timeoutMs must be a whole number of milliseconds/)
    }
  })
})

describe('checkRequest and Content-Encoding', () => {
  const options = resolve({ limit: 10 })
  it.each([
    [undefined, null],
    ['identity', null],
    ['GZIP', null],
    [' x-gzip ', null],
    ['deflate', null],
    ['br', null],
    ['compress', 415],
    ['gzip, br', 415],
    ['zstd', 415],
  ])('Content-Encoding %s → %s', (coding, status) => {
    const headers = coding === undefined ? {} : { 'content-encoding': coding }
    expect(checkRequest({ ...head, headers }, options)?.status ?? null).toBe(status)
  })
})
