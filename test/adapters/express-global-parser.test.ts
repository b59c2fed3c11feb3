import express from 'express'
import express4 from 'express4'
import { type SmartsuppHookOptions, smartsuppHook, unlessPath } from 'smartsupp-hook/express'
import { fixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { documentedExample } from '../support/payloads.js'
import { exampleBody } from './support/example-body.js'
import { listen, type Running } from './support/listen.js'
import { rawPost } from './support/raw-post.js'
import { recorder } from './support/recorder.js'

type Express = typeof express
const versions: [string, Express][] = [
  ['Express 5', express],
  ['Express 4', express4],
]
const PATH = '/hooks/smartsupp'
const TOKEN = 'global-parser-secret-0123456789'

for (const [name, e] of versions) {
  describe(`${name} with express.json() mounted globally, before the hook`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
      vi.restoreAllMocks()
    })

    /** An existing app: global express.json(), then the hook and its companion on the hook's path. */
    const boot = async (extra: Partial<SmartsuppHookOptions> = {}, verify = false) => {
      const r = recorder()
      const app = e()
      if (verify) {
        app.use(
          e.json({
            verify: (req, _res, buf) => {
              ;(req as { rawBody?: Buffer }).rawBody = buf
            },
          }),
        )
      } else app.use(e.json())
      const hook = smartsuppHook({ ...r.options, ...extra })
      app.use(PATH, hook, hook.bodyParserErrors)
      app.post('/other', (_req, res) => {
        res.json({ other: true })
      })
      const { createServer } = await import('node:http')
      running = await listen(createServer(app))
      return { r, url: `${running.origin}${PATH}` }
    }
    const json = { 'content-type': 'application/json' }

    it('hands malformed JSON to onInvalid with the bytes body-parser kept, answering 400 { error, issues } as JSON', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const sent = '{"id": 55039, "messages": [,]}'
      const res = await fetch(url, { method: 'POST', body: sent, headers: json })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await res.json()) as { error: string; issues: unknown[] }
      expect(Object.keys(body).sort()).toEqual(['error', 'issues'])
      expect(r.invalid).toHaveLength(1)
      expect(new TextDecoder().decode(r.invalid[0]?.rawBody)).toBe(sent)
      expect(r.invalid[0]?.context.rawBodySource).toBe('text')
      expect(warn).toHaveBeenCalledTimes(1)
    })

    it('keeps the exact bytes when express.json() saves them with verify', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot({}, true)
      const sent = Buffer.from('{"id": 1, "visitor": {"name": "Jan\\u00e9"},', 'utf8')
      const res = await fetch(url, { method: 'POST', body: new Uint8Array(sent), headers: json })
      expect(res.status).toBe(400)
      expect(r.invalid[0]?.context.rawBodySource).toBe('bytes')
      expect(Buffer.from(r.invalid[0]?.rawBody ?? []).equals(sent)).toBe(true)
    })

    it("answers a body over body-parser's 100 kB default 413 as JSON, closes the connection, and tells onError the fix", async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const long = JSON.stringify({ ...documentedExample(), padding: 'x'.repeat(150_000) })
      const res = await rawPost(url, [long], { headers: json })
      expect(res?.status).toBe(413)
      expect(res?.headers.connection).toBe('close')
      expect(Object.keys(JSON.parse(res?.text ?? '{}'))).toEqual(['error'])
      expect(r.errors).toHaveLength(1)
      expect(String(r.errors[0]?.error)).toMatch(/before the body parser/)
      expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
    })

    it("a 2.4 MB delivery: 413 whose text names body-parser's 100 kB limit (not the hook's), and onError once with the size seen and the fix", async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const big = JSON.stringify({ ...documentedExample(), padding: 'x'.repeat(2_400_000) })
      const res = await fetch(url, { method: 'POST', body: big, headers: json })
      expect(res.status).toBe(413)
      expect(await res.json()).toEqual({
        error:
          "Payload too large: the limit is 102400 bytes, set by the app's body parser in front of this receiver (not this receiver's limit option)",
      })
      expect(r.errors).toHaveLength(1)
      const error = r.errors[0]?.error
      expect(error).toMatchObject({
        name: 'SmartsuppRefusedError',
        status: 413,
        reason: 'too_large',
        refusedBy: 'body_parser',
        bodyBytes: Buffer.byteLength(big),
        limitBytes: 102_400,
      })
      expect(String(error)).toMatch(
        /\(24\d{5} bytes seen\) was answered 413 by the app's body parser .* limit of 102400 bytes \(the 100 kB default\).*own limit \(1048576 bytes, option limit\) never applied.*Fix: mount smartsuppHook\(\) before the body parser.*unlessPath.*express\.json\(\{ limit: '6mb' \}\)\. This body is over smartsuppHook\(\)'s own limit too, so raise that as well, e\.g\. limit: 6 \* 1024 \* 1024/,
      )
      expect(r.errors[0]?.source).toBe('none')
    })

    it('an unknown Content-Encoding the parser refuses is answered and reported once, as the hook would', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const res = await rawPost(url, [exampleBody], { headers: { ...json, 'content-encoding': 'zstd' } })
      expect(res?.status).toBe(415)
      expect(r.errors.map((e) => (e.error as { status: number }).status)).toEqual([415])
    })

    it('answers an unsupported charset 415 and a false gzip 400 as JSON, and tells onError (body-parser kept no bytes)', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const latin1 = await fetch(url, {
        method: 'POST',
        body: exampleBody,
        headers: { 'content-type': 'application/json; charset=latin1' },
      })
      expect([latin1.status, Object.keys((await latin1.json()) as object)]).toEqual([415, ['error']])
      const falseGzip = await rawPost(url, [exampleBody], {
        headers: { ...json, 'content-encoding': 'gzip' },
      })
      expect([falseGzip?.status, Object.keys(JSON.parse(falseGzip?.text ?? '{}'))]).toEqual([400, ['error']])
      expect(r.errors.map((e) => String(e.error))).toEqual([
        expect.stringMatching(/answered 415 .*charset/),
        expect.stringMatching(/answered 400 .*could not read it/),
      ])
      expect(r.errors.map((e) => e.error)).toEqual([
        expect.objectContaining({ status: 415, reason: 'unsupported_charset', refusedBy: 'body_parser' }),
        expect.objectContaining({ status: 400, reason: 'unreadable', refusedBy: 'body_parser' }),
      ])
      expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
    })

    it('checks method and token before any callback, also for a body the parser refused', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot({ token: TOKEN })
      const wrong = await fetch(url, { method: 'POST', body: '{', headers: json })
      expect(wrong.status).toBe(401)
      expect(await wrong.json()).toEqual({ error: 'Unauthorized: missing or wrong token' })
      const right = await fetch(`${url}?token=${TOKEN}`, { method: 'POST', body: '{', headers: json })
      expect(right.status).toBe(400)
      expect([r.invalid.length, r.errors.length]).toEqual([1, 0])
    })

    it('decodes a parsed delivery (200) and warns once per handler, naming the fix; warnParsedBody: false silences it', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url, { method: 'POST', body: exampleBody, headers: json })
        expect(res.status).toBe(200)
      }
      expect(r.conversations).toHaveLength(3)
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        /app\.use\(path, hook\) above app\.use\(express\.json\(\)\)/,
      )
      await running?.close()
      warn.mockClear()
      const quiet = await boot({ warnParsedBody: false })
      await fetch(quiet.url, { method: 'POST', body: exampleBody, headers: json })
      expect(warn).not.toHaveBeenCalled()
    })

    it("passes other routes' body-parser errors on untouched", async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, url } = await boot()
      const res = await fetch(url.replace(PATH, '/other'), { method: 'POST', body: '{', headers: json })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).not.toMatch(/json/)
      expect([r.invalid.length, r.errors.length]).toEqual([0, 0])
    })
  })

  describe(`${name}: which mounting answers 405 to other methods`, () => {
    const bootWith = async (
      mount: (app: ReturnType<Express>, hook: ReturnType<typeof smartsuppHook>) => void,
    ) => {
      const app = e()
      mount(app, smartsuppHook({ onConversation: () => {} }))
      const { createServer } = await import('node:http')
      return listen(createServer(app))
    }
    it.each([
      [
        'app.use(path, hook)',
        (app: ReturnType<Express>, hook: ReturnType<typeof smartsuppHook>) => app.use(PATH, hook),
      ],
      [
        'app.all(path, hook)',
        (app: ReturnType<Express>, hook: ReturnType<typeof smartsuppHook>) => app.all(PATH, hook),
      ],
    ])('%s: GET, PUT and DELETE get 405 with Allow: POST; POST gets 200', async (_name, mount) => {
      const running = await bootWith(mount)
      try {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await fetch(`${running.origin}${PATH}`, { method })
          expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST'])
          expect(Object.keys((await res.json()) as object)).toEqual(['error'])
        }
        const res = await fetch(`${running.origin}${PATH}`, { method: 'POST', body: exampleBody })
        expect(res.status).toBe(200)
      } finally {
        await running.close()
      }
    })

    it('app.post(path, hook) never sees a GET: Express answers it 404 itself (why the README mounts with app.use)', async () => {
      const running = await bootWith((app, hook) => app.post(PATH, hook))
      try {
        const res = await fetch(`${running.origin}${PATH}`)
        expect(res.status).toBe(404)
      } finally {
        await running.close()
      }
    })
  })
}

for (const [name, e] of versions) {
  describe(`${name} with the global parser wrapped: app.use(unlessPath(path, express.json()))`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
      vi.restoreAllMocks()
    })

    const boot = async () => {
      const r = recorder()
      const app = e()
      app.use(unlessPath(PATH, e.json()))
      app.use(PATH, smartsuppHook({ ...r.options, limit: 1024 * 1024 }))
      app.post('/other', (req, res) => {
        res.json({ parsed: req.body })
      })
      const { createServer } = await import('node:http')
      running = await listen(createServer(app))
      return { r, origin: running.origin }
    }
    const json = { 'content-type': 'application/json' }

    it("a 150 kB conversation (over body-parser's 100 kB default) reaches onConversation with its exact bytes", async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { r, origin } = await boot()
      const sent = JSON.stringify(fixtures.large(1100), null, 1)
      expect(sent.length).toBeGreaterThan(150_000)
      const res = await fetch(`${origin}${PATH}`, { method: 'POST', body: sent, headers: json })
      expect(res.status).toBe(200)
      expect(r.conversations).toHaveLength(1)
      expect(r.contexts[0]?.rawBodySource).toBe('bytes')
      expect(new TextDecoder().decode(r.contexts[0]?.rawBody)).toBe(sent)
      expect([r.errors.length, warn.mock.calls.length]).toEqual([0, 0])
    })

    it('malformed JSON reaches onInvalid with the exact bytes, also with the token as a path segment', async () => {
      const { r, origin } = await boot()
      const sent = Buffer.from('{"id": 1, "visitor": {"name": "Jan\\u00e9"},\t', 'utf8')
      for (const url of [
        `${origin}${PATH}`,
        `${origin}${PATH}/some-token`,
        `${origin}/Hooks/Smartsupp/?x=1`,
      ]) {
        const res = await fetch(url, { method: 'POST', body: new Uint8Array(sent), headers: json })
        expect(res.status).toBe(400)
      }
      expect(r.invalid).toHaveLength(3)
      for (const call of r.invalid) {
        expect(call.context.rawBodySource).toBe('bytes')
        expect(Buffer.from(call.rawBody).equals(sent)).toBe(true)
      }
    })

    it('other routes still get parsed bodies, and the parser still refuses them over its limit', async () => {
      const { origin } = await boot()
      const res = await fetch(`${origin}/other`, { method: 'POST', body: '{"a":[1,2]}', headers: json })
      expect(await res.json()).toEqual({ parsed: { a: [1, 2] } })
      const near = await fetch(`${origin}/hooks/smartsupp-other`, {
        method: 'POST',
        body: '{"a":1}',
        headers: json,
      })
      expect(near.status).toBe(404)
      const big = await fetch(`${origin}/other`, {
        method: 'POST',
        body: JSON.stringify({ padding: 'x'.repeat(150_000) }),
        headers: json,
      })
      expect(big.status).toBe(413)
    })

    it('refuses a path that does not start with "/"', () => {
      expect(() => unlessPath('hooks', e.json())).toThrow(TypeError)
    })
  })
}
