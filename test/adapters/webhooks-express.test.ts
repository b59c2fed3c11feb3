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
