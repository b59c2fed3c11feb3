import express from 'express'
import express4 from 'express4'
import { smartsuppHook } from 'smartsupp-hook/express'
import { describe, expect, it } from 'vitest'
import { documentedExample } from '../support/payloads.js'
import { exampleBody } from './support/example-body.js'
import { listen, type Running } from './support/listen.js'
import { describeReceiver } from './support/receiver-contract.js'
import { recorder } from './support/recorder.js'

type Express = typeof express
const versions: [string, Express][] = [
  ['Express 5', express],
  ['Express 4', express4],
]

async function start(app: ReturnType<Express>): Promise<Running> {
  const { createServer } = await import('node:http')
  return listen(createServer(app))
}

for (const [name, e] of versions) {
  describeReceiver(
    `${name}, mounted before express.json()`,
    async (options, tracker) => {
      const app = e()
      const hook = smartsuppHook(options)
      app.use('/hooks/smartsupp', (req, res, next) => {
        // x-contract-spoil: middleware in front of the hook read the stream, or parsed it as a form.
        const spoil = req.headers['x-contract-spoil']
        if (spoil === 'consumed') {
          req.resume()
          req.on('end', () => tracker.track(hook(req, res, next)))
        } else if (spoil === 'form') {
          e.urlencoded({ extended: false })(req, res, () => tracker.track(hook(req, res, next)))
        } else tracker.track(hook(req, res, next))
      })
      app.use(e.json())
      return start(app)
    },
    { br: true, ownsConnection: true, spoils: ['consumed', 'form'] },
  )

  describe(`${name} with body parsers in front`, () => {
    const post = async (
      parser: 'json' | 'raw' | 'text' | 'json-verify',
      body: string | Uint8Array<ArrayBuffer>,
      contentType: string,
    ) => {
      const r = recorder()
      const app = e()
      if (parser === 'json') app.use(e.json())
      if (parser === 'json-verify')
        app.use(
          e.json({
            verify: (req, _res, buf) => {
              ;(req as unknown as { rawBody: Buffer }).rawBody = buf
            },
          }),
        )
      if (parser === 'raw') app.use(e.raw({ type: '*/*' }))
      if (parser === 'text') app.use(e.text({ type: '*/*' }))
      app.post('/hooks/smartsupp', smartsuppHook(r.options))
      const running = await start(app)
      try {
        const res = await fetch(`${running.origin}/hooks/smartsupp`, {
          method: 'POST',
          body,
          headers: { 'content-type': contentType },
        })
        const text = await res.text()
        const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null
        return { r, status: res.status, text, json: json as Record<string, unknown> | null }
      } finally {
        await running.close()
      }
    }

    it.each([
      ['json', 'application/json', 'parsed'],
      ['json', 'text/plain', 'bytes'], // express.json() skipped it: the stream is still unread
      ['raw', 'application/json', 'bytes'],
      ['text', 'application/json', 'text'],
      ['json-verify', 'application/json', 'bytes'],
    ] as const)('decodes after express.%s() with %s (body found as %s)', async (parser, type, source) => {
      const { r, status } = await post(parser, exampleBody, type)
      expect(status).toBe(200)
      expect(r.conversations.map((c) => c.id)).toEqual(['55039'])
      expect(r.contexts[0]?.rawBodySource).toBe(source)
      expect(r.contexts[0]?.request).toHaveProperty('originalUrl', '/hooks/smartsupp')
    })

    it.each([
      ['json', 'parsed'],
      ['raw', 'bytes'],
      ['text', 'text'],
      ['json-verify', 'bytes'],
    ] as const)(
      'hands onInvalid the body after express.%s() as %s, with a note naming the fix when not exact',
      async (parser, source) => {
        const text = JSON.stringify({ ...documentedExample(), accountId: 'x' }, null, 2)
        const { r, status, json } = await post(parser, text, 'application/json')
        expect(status).toBe(400)
        expect(Array.isArray(json?.issues)).toBe(true)
        const dead = r.invalid[0]
        expect(dead?.context.rawBodySource).toBe(source)
        if (source === 'parsed') {
          // The exact bytes are gone: rawBody is the re-serialised value, and the note says how to keep them.
          expect(new TextDecoder().decode(dead?.rawBody)).toBe(JSON.stringify(JSON.parse(text)))
          expect(dead?.context.rawBodyNote).toMatch(
            /already parsed by express\.json\(\).*Mount smartsuppHook\(\) before express\.json\(\)/,
          )
        } else {
          expect(new TextDecoder().decode(dead?.rawBody)).toBe(text)
          expect(dead?.context.rawBodyNote === null).toBe(source === 'bytes')
        }
      },
    )

    it('the trap: express.json() in front answers invalid JSON itself, so onInvalid never sees it', async () => {
      const { r, status, json, text } = await post('json', '{"accountId": 208, oops', 'application/json')
      expect(status).toBe(400)
      expect(json).toBeNull() // Express's own HTML error page, not ours
      expect(text).toMatch(/SyntaxError|Bad Request/)
      expect(r.invalid).toHaveLength(0)
    })

    it('mounted before express.json(), invalid JSON reaches onInvalid with the exact bytes', async () => {
      const r = recorder()
      const app = e()
      app.post('/hooks/smartsupp', smartsuppHook(r.options))
      app.use(e.json())
      const running = await start(app)
      try {
        const res = await fetch(`${running.origin}/hooks/smartsupp`, {
          method: 'POST',
          body: '{"accountId": 208, oops',
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(400)
        expect(new TextDecoder().decode(r.invalid[0]?.rawBody)).toBe('{"accountId": 208, oops')
      } finally {
        await running.close()
      }
    })

    it('answers 500 (generic) and tells onError the fix when earlier middleware read the body and kept nothing', async () => {
      const r = recorder()
      const app = e()
      app.use((req, _res, next) => {
        req.resume()
        req.on('end', () => next())
      })
      app.post('/hooks/smartsupp', smartsuppHook(r.options))
      const running = await start(app)
      try {
        const res = await fetch(`${running.origin}/hooks/smartsupp`, {
          method: 'POST',
          body: exampleBody,
        })
        expect(res.status).toBe(500)
        expect(await res.json()).toEqual({ error: 'The receiver could not read the request body' })
        expect(r.errors).toHaveLength(1)
        expect(String(r.errors[0]?.error)).toMatch(/Mount smartsuppHook\(\) before that middleware/)
        expect(r.conversations).toHaveLength(0)
      } finally {
        await running.close()
      }
    })

    it.each([
      ['application/x-www-form-urlencoded', 'urlencoded'],
      ['application/x-www-form-urlencoded; charset=utf-8', 'urlencoded'],
      ['multipart/form-data; boundary=x', 'a multipart parser'],
    ] as const)(
      'answers 500 (generic) + onError naming the fix when a form parser parsed the JSON (%s)',
      async (type, parser) => {
        const r = recorder()
        const app = e()
        if (parser === 'urlencoded') app.use(e.urlencoded({ extended: false }))
        else
          app.use((req, _res, next) => {
            // What multer or busboy leave: the stream read, fields in req.body.
            req.resume()
            req.on('end', () => {
              ;(req as unknown as { body: unknown }).body = {}
              next()
            })
          })
        app.post('/hooks/smartsupp', smartsuppHook(r.options))
        const running = await start(app)
        try {
          const res = await fetch(`${running.origin}/hooks/smartsupp`, {
            method: 'POST',
            body: exampleBody,
            headers: { 'content-type': type },
          })
          expect(res.status).toBe(500)
          expect(await res.json()).toEqual({ error: 'The receiver could not read the request body' })
          expect(r.errors).toHaveLength(1)
          expect(String(r.errors[0]?.error)).toMatch(
            /form parser .* Mount smartsuppHook\(\) before the body parsers/,
          )
          expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
        } finally {
          await running.close()
        }
      },
    )

    it("the trap: express.json()'s own 100 kB limit answers 413 before the handler runs", async () => {
      const r = recorder()
      const app = e()
      app.use(e.json())
      app.post('/hooks/smartsupp', smartsuppHook(r.options))
      const running = await start(app)
      try {
        const payload = documentedExample()
        payload.messages[0].content = 'x'.repeat(110_000)
        const res = await fetch(`${running.origin}/hooks/smartsupp`, {
          method: 'POST',
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(413)
        expect(res.headers.get('content-type')).not.toMatch(/^application\/json/) // Express's page, not ours
        expect([r.conversations.length, r.invalid.length, r.errors.length]).toEqual([0, 0, 0])
      } finally {
        await running.close()
      }
    })

    it('hands onConversation the Express Request, and works mounted under a router with the token in the path', async () => {
      const requests: unknown[] = []
      const app = e()
      const router = e.Router()
      router.post(
        '/smartsupp/:token',
        smartsuppHook({
          token: 'router-secret-0123456789',
          onConversation: (_c, context) => void requests.push(context.request),
        }),
      )
      app.use('/hooks', router)
      const running = await start(app)
      try {
        const ok = await fetch(`${running.origin}/hooks/smartsupp/router-secret-0123456789`, {
          method: 'POST',
          body: exampleBody,
        })
        const wrong = await fetch(`${running.origin}/hooks/smartsupp/router-secret-012345678`, {
          method: 'POST',
          body: exampleBody,
        })
        expect([ok.status, wrong.status]).toEqual([200, 401])
        expect(requests).toHaveLength(1)
        expect((requests[0] as { originalUrl: string }).originalUrl).toBe(
          '/hooks/smartsupp/router-secret-0123456789',
        )
      } finally {
        await running.close()
      }
    })
  })
}
