import 'reflect-metadata'
import type { AddressInfo } from 'node:net'
import { Body, Controller, HttpCode, type INestApplication, Module, Post, UseGuards } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import type { Conversation, DecodeFailure } from 'smartsupp-hook'
import {
  type NestInvalidContext,
  SmartsuppConversation,
  SmartsuppConversationPipe,
  SmartsuppTokenGuard,
} from 'smartsupp-hook/nest'
import { afterEach, describe, expect, it } from 'vitest'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'
import { exampleBody } from './support/example-body.js'
import { rawPost } from './support/raw-post.js'

const TOKEN = 'nest-secret-0123456789abcdef'

interface Seen {
  conversations: Conversation[]
  invalid: { failure: DecodeFailure; rawBody: Uint8Array; context: NestInvalidContext }[]
}

/**
 * A Nest 11 app built without decorator syntax (vitest's transform emits no decorator metadata):
 * the decorators are applied as plain calls, exactly as TypeScript's output would.
 */
async function startApp(
  seen: Seen,
  create: { rawBody?: boolean; bodyParser?: boolean },
  limit?: number,
): Promise<{ app: INestApplication; origin: string }> {
  const onInvalid = (failure: DecodeFailure, rawBody: Uint8Array, context: NestInvalidContext) =>
    void seen.invalid.push({ failure, rawBody: Uint8Array.from(rawBody), context })

  class HookController {
    receive(conversation: Conversation) {
      seen.conversations.push(conversation)
      return { ok: true }
    }
    receiveByBody(conversation: Conversation) {
      seen.conversations.push(conversation)
      return { ok: true }
    }
  }
  const proto = HookController.prototype
  const method = (name: 'receive' | 'receiveByBody', path: string) => {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor
    Post(path)(proto, name, descriptor)
    HttpCode(200)(proto, name, descriptor)
    UseGuards(new SmartsuppTokenGuard({ token: TOKEN }))(proto, name, descriptor)
  }
  method('receive', 'smartsupp/:token')
  SmartsuppConversation({ onInvalid, ...(limit === undefined ? {} : { limit }) })(proto, 'receive', 0)
  method('receiveByBody', 'by-body/:token')
  Body(new SmartsuppConversationPipe({ onInvalid }))(proto, 'receiveByBody', 0)
  Controller('hooks')(HookController)
  class AppModule {}
  Module({ controllers: [HookController] })(AppModule)

  const app = await NestFactory.create(AppModule, { logger: false, ...create })
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return { app, origin: `http://127.0.0.1:${port}` }
}

const setups = [
  ['{ rawBody: true }', { rawBody: true }, 'bytes'],
  ['the default body parser', {}, 'parsed'],
  ['{ bodyParser: false }', { bodyParser: false }, 'bytes'],
] as const

describe('NestJS 11 (CommonJS): @SmartsuppConversation(), SmartsuppConversationPipe, SmartsuppTokenGuard', () => {
  let running: INestApplication | null = null
  afterEach(async () => {
    await running?.close()
    running = null
  })

  for (const [label, create, source] of setups) {
    describe(`an app created with ${label}`, () => {
      const boot = async () => {
        const seen: Seen = { conversations: [], invalid: [] }
        const { app, origin } = await startApp(seen, create)
        running = app
        return { seen, url: `${origin}/hooks/smartsupp/${TOKEN}` }
      }

      it('hands the controller the decoded Conversation', async () => {
        const { seen, url } = await boot()
        const res = await fetch(url, {
          method: 'POST',
          body: exampleBody,
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ ok: true })
        expect(seen.conversations.map((c) => c.id)).toEqual([55039])
        expect(seen.conversations[0]?.raw).toEqual(documentedExample())
      })

      it(`answers 400 { statusCode, error, issues } and hands onInvalid the body (${source})`, async () => {
        const { seen, url } = await boot()
        const text = JSON.stringify({ ...documentedExample(), accountId: 'x' }, null, 2)
        const res = await fetch(url, {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(400)
        const body = (await res.json()) as { statusCode: number; error: string; issues: { path: string }[] }
        expect(body.statusCode).toBe(400)
        expect(body.error).toMatch(/accountId/)
        expect(body.issues.map((i) => i.path)).toContain('accountId')
        expect(seen.conversations).toHaveLength(0)
        const dead = seen.invalid[0]
        expect(dead?.context.rawBodySource).toBe(source)
        if (source === 'bytes') {
          expect(new TextDecoder().decode(dead?.rawBody)).toBe(text)
          expect(dead?.context.rawBodyNote).toBeNull()
        } else {
          expect(new TextDecoder().decode(dead?.rawBody)).toBe(JSON.stringify(JSON.parse(text)))
          expect(dead?.context.rawBodyNote).toMatch(/rawBody: true/)
        }
      })

      it('answers 401 to a wrong or missing token and calls nothing', async () => {
        const { seen, url } = await boot()
        const wrong = await fetch(url.replace(TOKEN, `${TOKEN.slice(0, -1)}X`), {
          method: 'POST',
          body: exampleBody,
          headers: { 'content-type': 'application/json' },
        })
        const missing = await fetch(url.replace(`/${TOKEN}`, '/nothing'), {
          method: 'POST',
          body: exampleBody,
          headers: { 'content-type': 'application/json' },
        })
        expect([wrong.status, missing.status]).toEqual([401, 401])
        expect(await wrong.json()).toEqual({ statusCode: 401, error: 'Unauthorized: missing or wrong token' })
        expect([seen.conversations.length, seen.invalid.length]).toEqual([0, 0])
      })
    })
  }

  it('reads the exact bytes whatever the Content-Type with { rawBody: true } or an unread stream', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, { bodyParser: false })
    running = app
    const res = await fetch(`${origin}/hooks/smartsupp/${TOKEN}`, {
      method: 'POST',
      body: exampleBody,
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(200)
    expect(seen.conversations).toHaveLength(1)
  })

  it('works as @Body(new SmartsuppConversationPipe()) on a parsed body', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, {})
    running = app
    const ok = await fetch(`${origin}/hooks/by-body/${TOKEN}`, {
      method: 'POST',
      body: exampleBody,
      headers: { 'content-type': 'application/json' },
    })
    const bad = await fetch(`${origin}/hooks/by-body/${TOKEN}`, {
      method: 'POST',
      body: '[]',
      headers: { 'content-type': 'application/json' },
    })
    expect([ok.status, bad.status]).toEqual([200, 400])
    expect(seen.conversations).toHaveLength(1)
    expect(seen.invalid[0]?.failure.issues[0]?.path).toBe('')
    // Not the exact bytes, so the note says so (null means exact).
    expect(seen.invalid[0]?.context.rawBodySource).toBe('parsed')
    expect(seen.invalid[0]?.context.rawBodyNote).toMatch(/rawBody: true/)
  })

  for (const [label, create] of [
    ['the default body parser', {}],
    ['{ rawBody: true }', { rawBody: true }],
  ] as const) {
    it(`answers 500 naming the fix when @Body() is undefined (text/plain, ${label})`, async () => {
      const seen: Seen = { conversations: [], invalid: [] }
      const { app, origin } = await startApp(seen, create)
      running = app
      const res = await fetch(`${origin}/hooks/by-body/${TOKEN}`, {
        method: 'POST',
        body: exampleBody,
        headers: { 'content-type': 'text/plain' },
      })
      expect(res.status).toBe(500)
      const body = (await res.json()) as { statusCode: number; error: string }
      expect(body.statusCode).toBe(500)
      expect(body.error).toMatch(/@Body\(\) is undefined.*Use @SmartsuppConversation\(\)/)
      expect([seen.conversations.length, seen.invalid.length]).toEqual([0, 0])
    })
  }

  it('with { rawBody: true }, @SmartsuppConversation() decodes a text/plain body from the exact bytes', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, { rawBody: true })
    running = app
    const url = `${origin}/hooks/smartsupp/${TOKEN}`
    const headers = { 'content-type': 'text/plain' }
    const ok = await fetch(url, { method: 'POST', body: exampleBody, headers })
    const bad = await fetch(url, { method: 'POST', body: '{"accountId": 1, oops', headers })
    expect([ok.status, bad.status]).toEqual([200, 400])
    expect(seen.conversations.map((c) => c.id)).toEqual([55039])
    expect(new TextDecoder().decode(seen.invalid[0]?.rawBody)).toBe('{"accountId": 1, oops')
    expect(seen.invalid[0]?.context.rawBodyNote).toBeNull()
  })

  it('answers 500 naming { rawBody: true } when the default parser parsed a form-typed body; keeps it with rawBody', async () => {
    for (const [create, expected] of [
      [{}, 500],
      [{ rawBody: true }, 200],
    ] as const) {
      const seen: Seen = { conversations: [], invalid: [] }
      const { app, origin } = await startApp(seen, create)
      try {
        const res = await fetch(`${origin}/hooks/smartsupp/${TOKEN}`, {
          method: 'POST',
          body: exampleBody,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
        expect(res.status).toBe(expected)
        if (expected === 500) {
          const body = (await res.json()) as { statusCode: number; error: string }
          expect(body).toMatchObject({
            statusCode: 500,
            error: expect.stringMatching(/urlencoded.*rawBody: true/),
          })
          expect(seen.invalid).toHaveLength(0)
        } else expect(seen.conversations).toHaveLength(1)
      } finally {
        await app.close()
      }
    }
  })

  it('answers 413 { statusCode, error } with Connection: close past the limit, and the next request works', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, { bodyParser: false }, 4096)
    running = app
    const url = `${origin}/hooks/smartsupp/${TOKEN}`
    const chunk = new Uint8Array(1024).fill(0x20)
    const declared = await rawPost(url, [chunk], { length: 64 * 1024 })
    const chunked = await rawPost(
      url,
      Array.from({ length: 64 }, () => chunk),
    )
    for (const res of [declared, chunked]) {
      expect(res?.status).toBe(413)
      expect(res?.headers.connection).toBe('close')
      expect(JSON.parse(res?.text ?? '')).toEqual({
        statusCode: 413,
        error: 'Payload too large: the limit is 4096 bytes (option limit)',
      })
    }
    const next = await fetch(url, { method: 'POST', body: exampleBody })
    expect(next.status).toBe(200)
    expect([seen.conversations.length, seen.invalid.length]).toEqual([1, 0])
  })

  it('survives a client that aborts mid-body: nothing is called, the next request works', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, { bodyParser: false })
    running = app
    const url = `${origin}/hooks/smartsupp/${TOKEN}`
    const half = documentedExampleBytes.subarray(0, 200)
    const res = await rawPost(url, [half, half], { length: documentedExampleBytes.length, abortAfter: 1 })
    expect(res).toBeNull()
    const next = await fetch(url, { method: 'POST', body: exampleBody })
    expect(next.status).toBe(200)
    expect([seen.conversations.length, seen.invalid.length]).toEqual([1, 0])
  })

  it('processes 200 concurrent deliveries each exactly once', async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, { rawBody: true })
    running = app
    const ids = Array.from({ length: 200 }, (_, i) => 100_000 + i)
    const statuses = await Promise.all(
      ids.map(async (id) => {
        const payload = documentedExample()
        payload.channel.id = id
        const res = await fetch(`${origin}/hooks/smartsupp/${TOKEN}`, {
          method: 'POST',
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' },
        })
        return res.status
      }),
    )
    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(seen.conversations.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids)
  })

  it("answers a GET to the POST route with Nest's 404", async () => {
    const seen: Seen = { conversations: [], invalid: [] }
    const { app, origin } = await startApp(seen, {})
    running = app
    const res = await fetch(`${origin}/hooks/smartsupp/${TOKEN}`)
    expect(res.status).toBe(404)
    expect(seen.conversations).toHaveLength(0)
  })

  it('rejects an onInvalid reply whose status is not 200–599 with a TypeError (Nest answers a bare 500)', async () => {
    const pipe = new SmartsuppConversationPipe({ onInvalid: () => ({ status: 99 }) })
    await expect(pipe.transform('[]')).rejects.toThrow(/onInvalid returned \{ status: 99 \}/)
    const ok = new SmartsuppConversationPipe({ onInvalid: () => ({ status: 202, body: { kept: true } }) })
    await expect(ok.transform('[]')).rejects.toMatchObject({ status: 202, response: { kept: true } })
  })

  it('checks options when the pipe, guard or decorator is created', () => {
    expect(() => new SmartsuppTokenGuard({ token: '' })).toThrow(/non-empty string/)
    expect(() => new SmartsuppConversationPipe({ mode: 'loose' as never })).toThrow(TypeError)
    expect(() => SmartsuppConversation({ limit: 0 })).toThrow(/limit/)
  })
})
