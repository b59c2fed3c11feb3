import { createSmartsuppFetchHandler, handleSmartsuppRequest } from 'smartsupp-hook/fetch'
import { describe, expect, it } from 'vitest'
import { webInflates } from '../../src/adapters/inflate-web-body.js'
import { documentedExampleBytes } from '../support/payloads.js'
import { exampleBody } from './support/example-body.js'
import { listen } from './support/listen.js'
import { describeReceiver } from './support/receiver-contract.js'
import { recorder } from './support/recorder.js'
import { serveFetch } from './support/serve-fetch.js'

describeReceiver(
  'fetch (behind node:http)',
  (options, tracker) => {
    const handler = createSmartsuppFetchHandler(options)
    return listen(
      serveFetch(async (request) => {
        // x-contract-spoil: consumed, the app read the body before handing the Request over.
        if (request.headers.get('x-contract-spoil') === 'consumed') await request.text()
        const work = handler(request)
        tracker.track(work)
        return work
      }),
    )
  },
  { br: webInflates('br'), ownsConnection: false, spoils: ['consumed'] },
)

describe('handleSmartsuppRequest with a Web Request', () => {
  it('answers the documented example with 200 and hands over the Request', async () => {
    const r = recorder()
    const seen: Request[] = []
    const request = new Request('https://example.test/hooks/smartsupp?token=abc', {
      method: 'POST',
      body: exampleBody,
    })
    const response = await handleSmartsuppRequest(request, {
      token: 'abc',
      onConversation: async (c, context) => {
        seen.push(context.request)
        await r.options.onConversation(c, context)
      },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
    expect(r.conversations.map((c) => c.id)).toEqual(['55039'])
    expect(seen[0]).toBe(request)
  })

  it('answers a body-less POST with 400 invalid_json', async () => {
    const r = recorder()
    const response = await handleSmartsuppRequest(
      new Request('https://example.test/', { method: 'POST' }),
      r.options,
    )
    expect(response.status).toBe(400)
    expect(r.invalid[0]?.failure.issues[0]?.code).toBe('invalid_json')
    expect(r.invalid[0]?.rawBody).toEqual(new Uint8Array(0))
  })

  it('answers 413 to a stream over the limit and cancels it', async () => {
    let cancelled = false
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        controller.enqueue(new Uint8Array(1000))
      },
      cancel() {
        cancelled = true
      },
    })
    const request = new Request('https://example.test/', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit)
    const response = await handleSmartsuppRequest(request, { limit: 2500, onConversation: () => {} })
    expect(response.status).toBe(413)
    expect(cancelled).toBe(true)
    expect(pulls).toBeLessThan(10)
  })

  it('answers 400 to a stream that errors mid-body, calling nothing', async () => {
    const r = recorder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(documentedExampleBytes.subarray(0, 100))
        controller.error(new Error('client went away'))
      },
    })
    const request = new Request('https://example.test/', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit)
    const response = await handleSmartsuppRequest(request, r.options)
    expect(response.status).toBe(400)
    expect([r.conversations.length, r.invalid.length, r.errors.length]).toEqual([0, 0, 0])
  })

  it.each([
    ['already read (bodyUsed)', async (request: Request) => void (await request.text())],
    ['locked by a reader', async (request: Request) => void request.body?.getReader()],
  ])(
    'answers 500, telling onError the fix and the sender nothing internal, when the body was %s',
    async (_, spoil) => {
      const r = recorder()
      const request = new Request('https://example.test/', { method: 'POST', body: exampleBody })
      await spoil(request)
      const response = await handleSmartsuppRequest(request, r.options)
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ error: 'The receiver could not read the request body' })
      expect(r.errors).toHaveLength(1)
      expect(String(r.errors[0]?.error)).toMatch(
        /already read \(request\.bodyUsed\) or is locked.*pass request\.clone\(\)/,
      )
      expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
    },
  )

  it('copies headers into a prototype-less record', async () => {
    const seen: unknown[] = []
    const request = new Request('https://example.test/', {
      method: 'POST',
      body: exampleBody,
      headers: [
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ],
    })
    const response = await handleSmartsuppRequest(request, {
      onConversation: (_c, context) => void seen.push(context.headers),
    })
    expect(response.status).toBe(200)
    const headers = seen[0] as Record<string, unknown>
    expect(Object.getPrototypeOf(headers)).toBeNull()
    expect(Object.entries(headers)).toEqual(
      expect.arrayContaining([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    )
  })

  it('rejects handleSmartsuppRequest, and throws from createSmartsuppFetchHandler, for a wrong option', async () => {
    const request = new Request('https://example.test/', { method: 'POST', body: '{}' })
    await expect(handleSmartsuppRequest(request, { onConversation: () => {}, limit: -1 })).rejects.toThrow(
      TypeError,
    )
    expect(() => createSmartsuppFetchHandler({ onConversation: () => {}, limit: -1 })).toThrow(TypeError)
  })
})

describe('createSmartsuppFetchHandler: what the host runtime must know', () => {
  it('marks a 401 and a 413 with Connection: close, so a host can drop the unread body', async () => {
    const handler = createSmartsuppFetchHandler({ onConversation: () => {}, token: 'secret', limit: 10 })
    const wrong = await handler(new Request('http://h/hook', { method: 'POST', body: exampleBody }))
    expect([wrong.status, wrong.headers.get('connection')]).toEqual([401, 'close'])
    const large = await handler(
      new Request('http://h/hook?token=secret', { method: 'POST', body: exampleBody }),
    )
    expect([large.status, large.headers.get('connection')]).toEqual([413, 'close'])
  })
})
