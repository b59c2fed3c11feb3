import { createServer } from 'node:http'
import express from 'express'
import express4 from 'express4'
import { smartsuppWebhook } from 'smartsupp-hook/express'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { listen, type Running } from './support/listen.js'
import {
  describeWebhookReceiver,
  postSigned,
  WEBHOOK_SECRET,
  webhookRecorder,
} from './support/webhook-contract.js'

type Express = typeof express
const versions: [string, Express][] = [
  ['Express 5', express],
  ['Express 4', express4],
]

for (const [name, e] of versions) {
  describeWebhookReceiver(`${name}, mounted before express.json()`, async (options) => {
    const app = e()
    app.use('/hooks/smartsupp', smartsuppWebhook(options))
    app.use(e.json())
    return listen(createServer(app))
  })

  describe(`${name}: webhooks behind a body parser`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
      vi.restoreAllMocks()
    })
    const boot = async (parser: 'json' | 'json-verify' | 'raw' | 'text') => {
      const r = webhookRecorder()
      const app = e()
      if (parser === 'json') app.use(e.json())
      if (parser === 'json-verify')
        app.use(
          e.json({
            verify: (req, _res, buf) => {
              ;(req as unknown as { rawBody?: Buffer }).rawBody = buf
            },
          }),
        )
      if (parser === 'raw') app.use(e.raw({ type: '*/*' }))
      if (parser === 'text') app.use(e.text({ type: '*/*' }))
      app.post('/hooks/smartsupp', smartsuppWebhook({ ...r.options, warnParsedBody: false }))
      running = await listen(createServer(app))
      return { r, url: `${running.origin}/hooks/smartsupp` }
    }
    const pretty = JSON.stringify(webhookFixtures['conversation.closed'](), null, 2)

    it.each(['json-verify', 'raw', 'text'] as const)(
      'verifies the exact bytes kept by express.%s() and hands the event to onEvent',
      async (parser) => {
        const { r, url } = await boot(parser)
        const res = await postSigned(url, pretty)
        expect(res.status).toBe(200)
        expect(r.events).toHaveLength(1)
        expect(Buffer.from(r.contexts[0]?.rawBody ?? []).toString()).toBe(pretty)
      },
    )

    it('after express.json(): answers 401 and calls nothing when the parsed body no longer gives the signed bytes', async () => {
      const { r, url } = await boot('json')
      const res = await postSigned(url, pretty)
      expect(res.status).toBe(401)
      expect(r.calls).toBe(0)
      expect(r.events).toHaveLength(0)
      expect(r.errors).toHaveLength(0)
    })

    it('after express.json(): a forged signature is 401 and reaches no callback, not even onError', async () => {
      const { r, url } = await boot('json')
      const res = await fetch(url, {
        method: 'POST',
        body: pretty,
        headers: { 'content-type': 'application/json', 'x-smartsupp-hmac': 'ab'.repeat(32) },
      })
      expect(res.status).toBe(401)
      expect(r.calls).toBe(0)
      expect(r.errors).toHaveLength(0)
    })

    it('after express.json(): still answers 401 to an unsigned body, calling nothing', async () => {
      const { r, url } = await boot('json')
      const res = await postSigned(url, pretty, { signature: null })
      expect(res.status).toBe(401)
      expect(r.calls).toBe(0)
    })

    it('after express.json(): accepts a compact body whose re-serialisation is byte for byte what was signed', async () => {
      const { r, url } = await boot('json')
      const res = await postSigned(url, JSON.stringify(webhookFixtures['conversation.closed']()))
      expect(res.status).toBe(200)
      expect(r.events).toHaveLength(1)
    })

    it('warns once, naming the fix, when deliveries arrive already parsed', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const r = webhookRecorder()
      const app = e()
      app.use(e.json())
      app.post('/hooks/smartsupp', smartsuppWebhook(r.options))
      running = await listen(createServer(app))
      const url = `${running.origin}/hooks/smartsupp`
      await postSigned(url, pretty)
      await postSigned(url, pretty)
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/mount the receiver before the body parser/)
    })
  })
}

for (const [name, e] of versions) {
  describe(`${name}: webhooks behind a global express.json() with receiver.bodyParserErrors`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
      vi.restoreAllMocks()
    })
    const boot = async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const r = webhookRecorder()
      const app = e()
      app.use(e.json())
      const receiver = smartsuppWebhook(r.options)
      app.use('/hooks/smartsupp', receiver, receiver.bodyParserErrors)
      app.post('/other', (_req, res) => {
        res.json({ other: true })
      })
      running = await listen(createServer(app))
      return { r, url: `${running.origin}/hooks/smartsupp` }
    }

    it("a 2.4 MB signed event: 413 whose text names body-parser's limit, onError once with the size and the fix, no other callback", async () => {
      const { r, url } = await boot()
      const big = JSON.stringify({
        ...webhookFixtures['conversation.opened'](),
        padding: 'x'.repeat(2_400_000),
      })
      const res = await postSigned(url, big)
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: string }).error).toMatch(
        /limit is 102400 bytes, set by the app's body parser/,
      )
      expect(r.events.length + r.invalid.length).toBe(0)
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toMatchObject({
        name: 'SmartsuppRefusedError',
        status: 413,
        refusedBy: 'body_parser',
        bodyBytes: Buffer.byteLength(big),
        limitBytes: 102_400,
      })
      expect(String(r.errors[0]?.error)).toMatch(
        /webhook delivery .*Fix: mount smartsuppWebhook\(\) before the body parser/,
      )
      expect(r.errors[0]?.rawBody).toEqual(new Uint8Array(0))
    })

    it('malformed JSON the parser refused: verified over the text it kept; authentic → onInvalid (400), forged → 401 and nothing', async () => {
      const { r, url } = await boot()
      const broken = '{"event": "conversation.opened", "data": {'
      expect((await postSigned(url, broken)).status).toBe(400)
      expect(r.invalid.map((i) => Buffer.from(i.rawBody).toString())).toEqual([broken])
      expect((await postSigned(url, broken, { secret: 'another-secret-0123456789' })).status).toBe(401)
      expect(r.invalid).toHaveLength(1)
      expect(r.errors).toHaveLength(0)
    })

    it("an unsupported charset: 415, onError once; other routes' parser errors pass on untouched", async () => {
      const { r, url } = await boot()
      const body = JSON.stringify(webhookFixtures['conversation.opened']())
      const res = await postSigned(url, body, {
        headers: { 'content-type': 'application/json; charset=latin1' },
      })
      expect(res.status).toBe(415)
      expect(r.errors.map((x) => x.error)).toEqual([
        expect.objectContaining({ status: 415, reason: 'unsupported_charset', refusedBy: 'body_parser' }),
      ])
      const other = await fetch(url.replace('/hooks/smartsupp', '/other'), {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'application/json' },
      })
      expect(other.status).toBe(400)
      expect(r.errors).toHaveLength(1)
    })

    it('an unsigned body the parser refused is still 401 first, reaching no callback', async () => {
      const { r, url } = await boot()
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ padding: 'x'.repeat(200_000) }),
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status).toBe(401)
      expect(r.calls).toBe(0)
    })
  })
}

describe('smartsuppWebhook options', () => {
  it.each([
    ['undefined', { secret: undefined }],
    ['empty', { secret: '' }],
    ['an empty array', { secret: [] }],
    ['an array with an empty secret', { secret: ['ok-secret', ''] }],
  ])('throws a TypeError naming the fix when secret is %s', (_, extra) => {
    expect(() => smartsuppWebhook({ onEvent: () => {}, ...extra } as never)).toThrow(
      /options\.secret.*SMARTSUPP_WEBHOOK_SECRET/,
    )
  })

  it('throws when appId is present but undefined (an unset variable)', () => {
    expect(() =>
      smartsuppWebhook({ secret: WEBHOOK_SECRET, appId: undefined, onEvent: () => {} } as never),
    ).toThrow(/options\.appId is undefined/)
  })
})
