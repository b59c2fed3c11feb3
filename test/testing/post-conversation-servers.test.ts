import { createServer } from 'node:http'
import express from 'express'
import express4 from 'express4'
import type { Conversation } from 'smartsupp-hook'
import { smartsuppHook } from 'smartsupp-hook/express'
import { createSmartsuppListener } from 'smartsupp-hook/node'
import { conversations, fixtures, postConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

describe('postConversation to a Node listener, an Express app or an http.Server (real HTTP on 127.0.0.1)', () => {
  it('a request listener: started on an ephemeral port, the path and query of options.url used', async () => {
    const received: Conversation[] = []
    const listener = createSmartsuppListener({ token: 'tok', onConversation: (c) => void received.push(c) })
    const response = await postConversation(listener, fixtures.missed(), {
      url: '/hooks/smartsupp?token=tok',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
    expect(received.map((c) => c.id)).toEqual([1002])
    const refused = await postConversation(listener, fixtures.missed(), { url: '/hooks/smartsupp' })
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

  it('a Fetch handler declared with one parameter is still called directly, not served', async () => {
    const response = await postConversation((request) => new Response(request.url), '{}')
    expect(await response.text()).toBe('http://localhost/')
  })
})

describe('conversations: the fixtures, decoded', () => {
  it('each returns the Conversation its payload decodes to, fresh on every call', () => {
    expect(conversations.missed().id).toBe(1002)
    expect(conversations.documentedExample().id).toBe(55039)
    expect(conversations.legacy().id).toBe(55039)
    expect(conversations.large(10).messages).toHaveLength(10)
    expect(conversations.rated()).not.toBe(conversations.rated())
    expect(conversations.rated()).toEqual(conversations.rated())
    expect(Object.keys(conversations).sort()).toEqual(Object.keys(fixtures).sort())
  })
})
