import { createServer } from 'node:http'
import express from 'express'
import express4 from 'express4'
import type { Conversation } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'
import { createSmartsuppListener } from 'smartsupp-hook/node'
import { conversations, fixtures, postConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

describe('postConversation to a Node listener, an Express app or an http.Server (real HTTP on 127.0.0.1)', () => {
  it("a request listener with { as: 'node' }: started on an ephemeral port, the path and query of options.url used", async () => {
    const received: Conversation[] = []
    const listener = createSmartsuppListener({ token: 'tok', onConversation: (c) => void received.push(c) })
    const response = await postConversation(listener, fixtures.missed(), {
      url: '/hooks/smartsupp?token=tok',
      as: 'node',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
    expect(received.map((c) => c.id)).toEqual(['1002'])
    const refused = await postConversation(listener, fixtures.missed(), {
      url: '/hooks/smartsupp',
      as: 'node',
    })
    expect(refused.status).toBe(401)
  })

  it.each([
    ['Express 5', express],
    ['Express 4', express4 as unknown as typeof express],
  ])('an %s app, with express.json() in front', async (_name, e) => {
    const received: Conversation[] = []
    const app = e()
    app.use(e.json())
    const hook = smartsuppHook({ warnParsedBody: false, onConversation: (c) => void received.push(c) })
    app.use('/hook', hook, hook.bodyParserErrors)
    const response = await postConversation(app, fixtures.rated(), { url: '/hook' })
    expect(response.status).toBe(200)
    const broken = await postConversation(app, '{"id":', { url: '/hook' })
    expect(broken.status).toBe(400)
    expect(received).toHaveLength(1)
  })

  it('an http.Server that is not listening (Nest: app.getHttpServer() after app.init()) is started and closed again', async () => {
    const seen: string[] = []
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted')
    })
    const response = await postConversation(server, fixtures.offline(), {
      url: 'http://ignored.example/x?y=1',
    })
    expect([response.status, await response.text()]).toEqual([202, 'accepted'])
    expect(seen).toEqual(['POST /x?y=1'])
    expect(server.listening).toBe(false)
  })

  it('an http.Server that already listens is used where it listens and left running', async () => {
    const server = createServer((_req, res) => res.writeHead(204).end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const response = await postConversation(server, fixtures.offline())
      expect(response.status).toBe(204)
      expect(server.listening).toBe(true)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a Node listener that throws, or never answers, rejects with an error saying so; the server is closed', async () => {
    const throwing = (_req: unknown, _res: unknown) => {
      throw new Error('boom in the listener')
    }
    const error = await postConversation(throwing, '{}', { as: 'node' }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/the Node listener threw/)
    expect(((error as Error).cause as Error).message).toBe('boom in the listener')
    const rejecting = async (_req: unknown, _res: unknown) => {
      throw new Error('async boom')
    }
    await expect(postConversation(rejecting, '{}', { as: 'node' })).rejects.toThrow(/the Node listener threw/)
    const silent = createServer(() => {})
    await expect(postConversation(silent, '{}', { timeoutMs: 300 })).rejects.toThrow(
      /no answer within 300 ms/,
    )
    expect(silent.listening).toBe(false)
    await expect(
      postConversation((_req: unknown, _res: unknown) => {}, '{}', { as: 'node', timeoutMs: 300 }),
    ).rejects.toThrow(/no answer within 300 ms/)
  })

  it.each([
    ['Express 5', express],
    ['Express 4', express4 as unknown as typeof express],
  ])('an %s app whose route throws is answered 500 by Express, not left pending', async (_name, e) => {
    const app = e()
    app.post('/boom', () => {
      throw new Error('route failed')
    })
    const response = await postConversation(app, '{}', { url: '/boom' })
    expect(response.status).toBe(500)
  })

  it('functions with two or three parameters (Next.js POST(request, { params }), Workers fetch(request, env, ctx)) are Fetch handlers', async () => {
    const nextRoute = async (request: Request, context: { params: Promise<{ id: string }> }) =>
      Response.json({ body: await request.json(), context: typeof context })
    const next = await postConversation(nextRoute, { id: 1 })
    expect(await next.json()).toEqual({ body: { id: 1 }, context: 'undefined' })
    const worker = {
      async fetch(request: Request, _env: unknown, _ctx: unknown) {
        return new Response(await request.text(), { status: 202 })
      },
    }
    const answered = await postConversation(worker.fetch, '{"a":1}')
    expect([answered.status, await answered.text()]).toEqual([202, '{"a":1}'])
  })

  it('a Fetch handler that throws, never answers, or returns no Response rejects with an error saying so', async () => {
    await expect(
      postConversation(() => {
        throw new Error('handler boom')
      }, '{}'),
    ).rejects.toThrow(/the Fetch handler threw/)
    await expect(
      postConversation(() => new Promise<Response>(() => {}), '{}', { timeoutMs: 200 }),
    ).rejects.toThrow(/no answer within 200 ms/)
    await expect(
      postConversation((() => undefined) as unknown as (r: Request) => Response, '{}'),
    ).rejects.toThrow(/did not return a Response/)
  })

  it.each([0, 2 ** 31, 1.5, Number.NaN, -1])(
    'timeoutMs %s is refused with a TypeError naming it',
    async (timeoutMs) => {
      await expect(postConversation(() => new Response(), '{}', { timeoutMs })).rejects.toThrow(
        /options\.timeoutMs/,
      )
    },
  )

  it('a Fetch handler declared with one parameter is still called directly, not served', async () => {
    const response = await postConversation((request) => new Response(request.url), '{}')
    expect(await response.text()).toBe('http://localhost/')
  })
})

describe('conversations: the fixtures, decoded', () => {
  it('each returns the PostHookConversation its payload decodes to, fresh on every call', () => {
    expect(conversations.missed().id).toBe('1002')
    expect(conversations.documentedExample().id).toBe('55039')
    expect(conversations.legacy().id).toBe('55039')
    expect(conversations.large(10).messages).toHaveLength(10)
    expect(conversations.rated()).not.toBe(conversations.rated())
    expect(conversations.rated()).toEqual(conversations.rated())
    expect(Object.keys(conversations).sort()).toEqual(Object.keys(fixtures).sort())
  })
})
