import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { runInNewContext } from 'node:vm'
import express from 'express'
import express4 from 'express4'
import { signWebhookBody, verifyWebhookSignature } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'
import { postConversation } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { exampleBody } from './support/example-body.js'
import { listen, type Running } from './support/listen.js'
import { recorder } from './support/recorder.js'

/** A Uint8Array made in another realm (a node:vm context, as in Jest's sandbox): not `instanceof Uint8Array` here. */
function foreignBytes(bytes: Uint8Array): Uint8Array {
  const foreign = runInNewContext(`new Uint8Array([${Array.from(bytes).join(',')}])`) as Uint8Array
  expect(foreign instanceof Uint8Array).toBe(false)
  return foreign
}

/** Reads the whole request, as a body parser would, and hands the bytes over. */
function readAll(req: express.Request): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
  })
}

type Express = typeof express
const versions: [string, Express][] = [
  ['Express 5', express],
  ['Express 4', express4],
]
const json = { 'content-type': 'application/json' }
const malformed = Buffer.from('{"id": 1, "visitor": {"name": "Jan\\u00e9"},\t', 'utf8')

for (const [name, e] of versions) {
  describe(`${name}: bytes of another realm in req.body or req.rawBody are the exact bytes`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
      vi.restoreAllMocks()
    })

    it.each(['body', 'rawBody'] as const)(
      'req.%s: a conversation and malformed JSON, rawBodySource bytes',
      async (field) => {
        const r = recorder()
        const app = e()
        app.use(async (req, _res, next) => {
          const bytes = await readAll(req)
          ;(req as unknown as Record<string, unknown>)[field] = foreignBytes(bytes)
          if (field === 'rawBody') (req as unknown as { body: unknown }).body = {}
          next()
        })
        app.use('/hook', smartsuppHook({ ...r.options, warnParsedBody: false }))
        running = await listen(createServer(app))
        const ok = await fetch(`${running.origin}/hook`, { method: 'POST', body: exampleBody, headers: json })
        expect(ok.status).toBe(200)
        expect(r.contexts[0]?.rawBodySource).toBe('bytes')
        const bad = await fetch(`${running.origin}/hook`, {
          method: 'POST',
          body: new Uint8Array(malformed),
          headers: json,
        })
        expect(bad.status).toBe(400)
        expect(r.invalid[0]?.context.rawBodySource).toBe('bytes')
        expect(Buffer.from(r.invalid[0]?.rawBody ?? []).equals(malformed)).toBe(true)
      },
    )

    it('bodyParserErrors: a verify callback keeping foreign bytes in req.rawBody gives onInvalid the exact bytes', async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const r = recorder()
      const app = e()
      app.use(
        e.json({
          verify: (req, _res, buf) => {
            ;(req as unknown as { rawBody: Uint8Array }).rawBody = foreignBytes(buf)
          },
        }),
      )
      const hook = smartsuppHook(r.options)
      app.use('/hook', hook, hook.bodyParserErrors)
      running = await listen(createServer(app))
      const bad = await fetch(`${running.origin}/hook`, {
        method: 'POST',
        body: new Uint8Array(malformed),
        headers: json,
      })
      expect(bad.status).toBe(400)
      expect(r.invalid[0]?.context.rawBodySource).toBe('bytes')
      expect(Buffer.from(r.invalid[0]?.rawBody ?? []).equals(malformed)).toBe(true)
    })
  })
}

describe('postConversation and verifyWebhookSignature with bytes of another realm', () => {
  it('postConversation sends foreign bytes unchanged (real HTTP)', async () => {
    const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks) })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const response = await postConversation(`http://127.0.0.1:${port}/`, foreignBytes(malformed))
      expect(response.status).toBe(204)
      expect(seen[0]?.body.equals(malformed)).toBe(true)
      const direct = await postConversation(
        async (request) => new Response(await request.arrayBuffer()),
        foreignBytes(malformed),
      )
      expect(Buffer.from(await direct.arrayBuffer()).equals(malformed)).toBe(true)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('verifyWebhookSignature reads a foreign body and a foreign secret as bytes', async () => {
    const body = Buffer.from('{"event":"x"}')
    const signature = await signWebhookBody(body, 'secret-0123')
    const result = await verifyWebhookSignature(
      foreignBytes(body),
      signature,
      foreignBytes(Buffer.from('secret-0123')),
    )
    expect(result).toEqual({ valid: true, secretIndex: 0 })
  })
})
