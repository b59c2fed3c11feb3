import 'reflect-metadata'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import {
  Body,
  Controller,
  type DynamicModule,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  Post,
} from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { NestFactory } from '@nestjs/core'
import { Test } from '@nestjs/testing'
import type { DecodeFailure, PostHookConversation } from 'smartsupp-hook'
import {
  SMARTSUPP_HOOK_OPTIONS,
  SmartsuppHookModule,
  type SmartsuppHookModuleOptions,
  SmartsuppHookReceiver,
} from 'smartsupp-hook/nest'
import { afterEach, describe, expect, it } from 'vitest'
import { documentedExampleBytes } from '../support/payloads.js'
import { exampleBody } from './support/example-body.js'
import { rawPost } from './support/raw-post.js'

const TOKEN = 'nest-secret-0123456789abcdef'
const PATH = '/hooks/smartsupp'

interface Seen {
  conversations: PostHookConversation[]
  invalid: { failure: DecodeFailure; rawBody: Uint8Array }[]
  errors: unknown[]
}

function recorder(): { seen: Seen; options: Omit<SmartsuppHookModuleOptions, 'path' | 'token'> } {
  const seen: Seen = { conversations: [], invalid: [], errors: [] }
  return {
    seen,
    options: {
      onConversation: (conversation) => void seen.conversations.push(conversation),
      onInvalid: (failure, rawBody) => void seen.invalid.push({ failure, rawBody: Uint8Array.from(rawBody) }),
      onError: (error) => void seen.errors.push(error),
    },
  }
}

/**
 * The rest of the app: a controller whose POST body goes through Nest's own JSON parser, to show
 * that everything off the hook's path still reaches Nest. Decorators are applied as plain calls
 * (vitest's transform emits no decorator metadata), exactly as TypeScript's output would.
 */
function otherController(): new () => unknown {
  class EchoController {
    echo(body: unknown) {
      return { echoed: body }
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo') as PropertyDescriptor
  Post('echo')(EchoController.prototype, 'echo', descriptor)
  Body()(EchoController.prototype, 'echo', 0)
  Controller('other')(EchoController)
  return EchoController
}

function appModule(hook: DynamicModule): new () => unknown {
  class AppModule {}
  Module({ imports: [hook], controllers: [otherController()] })(AppModule)
  return AppModule
}

let running: INestApplication | null = null
afterEach(async () => {
  const app = running
  running = null
  if (app === null) return
  app.getHttpServer().closeAllConnections?.()
  await app.close()
})

/** `NestFactory.create` with Nest's defaults (body parser on, no rawBody), as `nest new` generates. */
async function start(
  hook: DynamicModule,
  create: { rawBody?: boolean; bodyParser?: boolean } = {},
  globalPrefix?: string,
): Promise<string> {
  const app = await NestFactory.create(appModule(hook), { logger: false, ...create })
  running = app
  if (globalPrefix !== undefined) app.setGlobalPrefix(globalPrefix)
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

async function startWithRecorder(extra: Partial<SmartsuppHookModuleOptions> = {}) {
  const { seen, options } = recorder()
  const origin = await start(SmartsuppHookModule.forRoot({ path: PATH, token: TOKEN, ...options, ...extra }))
  return { seen, origin, url: `${origin}${PATH}/${TOKEN}` }
}

const utf8 = (text: string) => new TextEncoder().encode(text)
const utf16le = (text: string) => {
  const bytes = new Uint8Array(text.length * 2)
  for (let i = 0; i < text.length; i++) {
    bytes[2 * i] = text.charCodeAt(i) & 0xff
    bytes[2 * i + 1] = text.charCodeAt(i) >> 8
  }
  return bytes
}
const example = new TextDecoder().decode(documentedExampleBytes)

/** Bodies that Nest's default JSON parser answered itself (400/415) under 0.1.0, never reaching onInvalid. */
const undecodable: readonly [string, Uint8Array, Record<string, string>][] = [
  ['malformed JSON', utf8('{"id": 1, "accountId" 2}'), { 'content-type': 'application/json' }],
  ['a truncated body', utf8(example.slice(0, 200)), { 'content-type': 'application/json' }],
  ['a trailing comma', utf8('{"id": 1,}'), { 'content-type': 'application/json' }],
  ['a raw control character', utf8('{"id": 1, "x": "a\u0001b"}'), { 'content-type': 'application/json' }],
  [
    'charset=latin1 (not UTF-8 bytes)',
    Uint8Array.from([...utf8('{"visitor": {"name": "J'), 0xfc, ...utf8('rgen"}}')]),
    { 'content-type': 'application/json; charset=latin1' },
  ],
  ['charset=utf-16', utf16le(example), { 'content-type': 'application/json; charset=utf-16' }],
  [
    'a false Content-Encoding: gzip',
    documentedExampleBytes,
    { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  ],
  ['an empty body', new Uint8Array(0), { 'content-type': 'application/json' }],
  ['a form Content-Type', utf8('{"id": 1}'), { 'content-type': 'application/x-www-form-urlencoded' }],
]

/**
 * Writes `chunkBytes`-sized chunks of spaces, chunked, until `totalBytes` or until the answer
 * arrives; resolves with the answer, how many bytes were written before it, and whether the
 * server closed the connection.
 */
function postUntilAnswered(
  url: string,
  totalBytes: number,
  chunkBytes: number,
): Promise<{
  status: number
  connection: string | undefined
  text: string
  sentBytes: number
  closed: boolean
}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    })
    const chunk = Buffer.alloc(chunkBytes, 0x20)
    let sentBytes = 0
    let answered = false
    req.on('response', (res) => {
      answered = true
      const sentAtAnswer = sentBytes
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (part: string) => {
        text += part
      })
      res.on('end', () => {
        const socket = res.socket
        const closedNow = socket === null || socket.destroyed
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            text,
            sentBytes: sentAtAnswer,
            closed: true,
          })
        if (closedNow) finish()
        else socket.once('close', finish)
      })
    })
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    const pump = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.length
        if (!req.write(chunk)) {
          req.once('drain', pump)
          return
        }
      }
      if (!answered) req.end()
    }
    pump()
  })
}

describe('NestJS: SmartsuppHookModule in an app with Nest defaults (body parser on)', () => {
  it('hands onConversation the decoded Conversation, and the rest of the app still gets Nest', async () => {
    const { seen, origin, url } = await startWithRecorder()
    const res = await fetch(url, {
      method: 'POST',
      body: exampleBody,
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(seen.conversations.map((c) => c.id)).toEqual(['55039'])
    const other = await fetch(`${origin}/other/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect(other.status).toBe(201)
    expect(await other.json()).toEqual({ echoed: { a: 1 } })
  })

  it.each(undecodable)(
    'hands onInvalid %s once, with its exact bytes, and answers 400 { error, issues }',
    async (_label, body, headers) => {
      const { seen, url } = await startWithRecorder()
      const res = await rawPost(url, body.length === 0 ? [] : [body], { headers, length: body.length })
      expect(res?.status).toBe(400)
      const answer = JSON.parse(res?.text ?? '{}') as { error?: unknown; issues?: unknown }
      expect(typeof answer.error).toBe('string')
      expect(Array.isArray(answer.issues)).toBe(true)
      expect(seen.invalid).toHaveLength(1)
      expect(Buffer.from(seen.invalid[0]?.rawBody ?? []).equals(Buffer.from(body))).toBe(true)
      expect(seen.conversations).toHaveLength(0)
    },
  )

  it('inflates a real Content-Encoding: gzip body', async () => {
    const { seen, url } = await startWithRecorder()
    const gz = gzipSync(documentedExampleBytes)
    const res = await rawPost(url, [gz], {
      length: gz.length,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    })
    expect(res?.status).toBe(200)
    expect(seen.conversations.map((c) => c.id)).toEqual(['55039'])
  })

  it('hands onInvalid the inflated bytes of a real gzip body that is not a conversation', async () => {
    const { seen, url } = await startWithRecorder()
    const malformed = utf8('{"id": 1,')
    const gz = gzipSync(malformed)
    const res = await rawPost(url, [gz], {
      length: gz.length,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    })
    expect(res?.status).toBe(400)
    expect(Buffer.from(seen.invalid[0]?.rawBody ?? []).equals(Buffer.from(malformed))).toBe(true)
  })

  it('answers a Content-Encoding it cannot inflate 415, unread, as every adapter does (onError told once, onInvalid not called)', async () => {
    const { seen, url } = await startWithRecorder()
    const res = await rawPost(url, ['{"id": 1}'], { length: 9, headers: { 'content-encoding': 'compress' } })
    expect(res?.status).toBe(415)
    expect(seen.invalid).toHaveLength(0)
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toMatchObject({ name: 'SmartsuppRefusedError', status: 415, bodyBytes: 9 })
    expect(String(seen.errors[0])).toMatch(/answered 415.*"compress".*Fix:/)
  })

  it.each([
    ['{ rawBody: true }', { rawBody: true }],
    ['{ bodyParser: false }', { bodyParser: false }],
  ] as const)('works the same in an app created with %s', async (_label, create) => {
    const { seen, options } = recorder()
    const origin = await start(SmartsuppHookModule.forRoot({ path: PATH, token: TOKEN, ...options }), create)
    const res = await rawPost(`${origin}${PATH}/${TOKEN}`, ['{"id": 1,'], {
      headers: { 'content-type': 'application/json' },
    })
    expect(res?.status).toBe(400)
    expect(Buffer.from(seen.invalid[0]?.rawBody ?? []).toString()).toBe('{"id": 1,')
  })

  it("answers path exactly as written: Nest's global prefix is not added to it", async () => {
    const { seen, options } = recorder()
    const origin = await start(
      SmartsuppHookModule.forRoot({ path: PATH, token: TOKEN, ...options }),
      {},
      'api',
    )
    expect((await fetch(`${origin}${PATH}/${TOKEN}`, { method: 'POST', body: exampleBody })).status).toBe(200)
    expect((await fetch(`${origin}/api${PATH}/${TOKEN}`, { method: 'POST', body: exampleBody })).status).toBe(
      404,
    )
    const other = await fetch(`${origin}/api/other/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect(await other.json()).toEqual({ echoed: { a: 1 } })
    expect(seen.conversations).toHaveLength(1)
  })

  it('answers a wrong token 401 with Connection: close before a large chunked body is read', async () => {
    const { seen, url } = await startWithRecorder()
    const total = 256 * 1024 * 1024
    const res = await postUntilAnswered(url.replace(TOKEN, 'wrong-token'), total, 1024 * 1024)
    expect(res.status).toBe(401)
    expect(res.connection).toBe('close')
    expect(JSON.parse(res.text)).toEqual({ error: 'Unauthorized: missing or wrong token' })
    // The answer came while the body was still being written, and the server closed the connection.
    expect(res.sentBytes).toBeLessThan(total)
    expect(res.closed).toBe(true)
    expect(seen.conversations.length + seen.invalid.length + seen.errors.length).toBe(0)
  })

  it('answers 401 to invalid JSON with a wrong token (the token is checked first)', async () => {
    const { seen, url } = await startWithRecorder()
    const res = await rawPost(url.replace(TOKEN, 'wrong'), ['{"id": 1,'], {
      headers: { 'content-type': 'application/json' },
    })
    expect(res?.status).toBe(401)
    expect(seen.invalid).toHaveLength(0)
  })

  it('answers a declared 50 MiB Content-Length 413 at once, with no body sent', async () => {
    const { seen, url } = await startWithRecorder()
    const answered = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
        })
        req.on('response', (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection })
          req.destroy()
        })
        req.on('error', reject)
        req.flushHeaders()
      },
    )
    expect(answered).toEqual({ status: 413, connection: 'close' })
    expect(seen.invalid).toHaveLength(0)
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toMatchObject({
      name: 'SmartsuppRefusedError',
      status: 413,
      bodyBytes: 50 * 1024 * 1024,
      limitBytes: 1_048_576,
    })
    expect(String(seen.errors[0])).toMatch(
      /Content-Length says 52428800 bytes.*limit of 1048576 bytes.*Fix: .*raise the limit, e\.g\. limit: 64 \* 1024 \* 1024/,
    )
  })

  it('answers a chunked body over limit 413 before the rest is sent, and tells onError once', async () => {
    const { seen, url } = await startWithRecorder({ limit: 64 * 1024 })
    const total = 64 * 1024 * 1024
    const res = await postUntilAnswered(url, total, 64 * 1024)
    expect(res.status).toBe(413)
    expect(res.connection).toBe('close')
    expect(JSON.parse(res.text)).toEqual({
      error: "Payload too large: the limit is 65536 bytes (this receiver's limit option)",
    })
    expect(res.sentBytes).toBeLessThan(total)
    expect(seen.invalid).toHaveLength(0)
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toMatchObject({ status: 413, reason: 'too_large', refusedBy: 'receiver' })
    expect((seen.errors[0] as { bodyBytes: number }).bodyBytes).toBeGreaterThan(64 * 1024)
  })

  it('answers 405 to other methods on the hook path', async () => {
    const { url } = await startWithRecorder()
    const res = await fetch(url)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })

  it('answers 503 and calls onError once onConversation has not settled within timeoutMs', async () => {
    const { seen, url } = await startWithRecorder({
      timeoutMs: 50,
      onConversation: () => new Promise(() => {}),
    })
    const res = await fetch(url, { method: 'POST', body: exampleBody })
    expect(res.status).toBe(503)
    expect(Object.keys((await res.json()) as object)).toEqual(['error'])
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toMatchObject({
      name: 'SmartsuppTimeoutError',
      status: 503,
      bodyBytes: Buffer.byteLength(exampleBody),
    })
    expect(String(seen.errors[0])).toMatch(/answered 503.*Fix: /)
  })
})

describe('NestJS: options from dependency injection', () => {
  it('takes the token from ConfigService through forRootAsync, when the app is created (not at import)', async () => {
    const { seen, options } = recorder()
    const hook = SmartsuppHookModule.forRootAsync({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SMARTSUPP_HOOK_TOKEN: TOKEN })] }),
      ],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        path: PATH,
        token: config.getOrThrow<string>('SMARTSUPP_HOOK_TOKEN'),
        ...options,
      }),
    })
    const origin = await start(hook)
    expect((await fetch(`${origin}${PATH}/${TOKEN}`, { method: 'POST', body: exampleBody })).status).toBe(200)
    expect((await fetch(`${origin}${PATH}/wrong`, { method: 'POST', body: exampleBody })).status).toBe(401)
    expect(
      (await fetch(`${origin}${PATH}?token=${TOKEN}`, { method: 'POST', body: exampleBody })).status,
    ).toBe(200)
    expect(seen.conversations).toHaveLength(2)
  })

  it('fails when the app is created, naming the fix, if the token is undefined', async () => {
    const hook = SmartsuppHookModule.forRootAsync({
      useFactory: () => ({ path: PATH, token: undefined as unknown as string, onConversation: () => {} }),
    })
    await expect(NestFactory.create(appModule(hook), { logger: false, abortOnError: false })).rejects.toThrow(
      /options\.token is undefined/,
    )
  })

  it('can be replaced whole in a @nestjs/testing module (overrideProvider(SMARTSUPP_HOOK_OPTIONS))', async () => {
    const production = SmartsuppHookModule.forRootAsync({
      useFactory: () => {
        throw new Error('the production factory must not run in this test')
      },
    })
    const { seen, options } = recorder()
    const moduleRef = await Test.createTestingModule({ imports: [appModule(production)] })
      .overrideProvider(SMARTSUPP_HOOK_OPTIONS)
      .useValue({ path: PATH, token: 'test-token', ...options })
      .compile()
    const app = moduleRef.createNestApplication({ logger: false })
    running = app
    await app.init()
    await new Promise<void>((resolve) => app.getHttpServer().listen(0, '127.0.0.1', resolve))
    const { port } = app.getHttpServer().address() as AddressInfo
    const bad = await rawPost(`http://127.0.0.1:${port}${PATH}/test-token`, ['{"id": 1,'], {
      headers: { 'content-type': 'application/json' },
    })
    expect(bad?.status).toBe(400)
    expect(Buffer.from(seen.invalid[0]?.rawBody ?? []).toString()).toBe('{"id": 1,')
    expect(moduleRef.get(SmartsuppHookReceiver).path).toBe(PATH)
  })

  it('fronts each app created from one compiled testing module', async () => {
    const { seen, options } = recorder()
    const moduleRef = await Test.createTestingModule({
      imports: [appModule(SmartsuppHookModule.forRoot({ path: PATH, token: TOKEN, ...options }))],
    }).compile()
    const statuses: number[] = []
    for (let i = 0; i < 2; i++) {
      const app = moduleRef.createNestApplication({ logger: false })
      await app.listen(0, '127.0.0.1')
      const { port } = app.getHttpServer().address() as AddressInfo
      const res = await rawPost(`http://127.0.0.1:${port}${PATH}/${TOKEN}`, ['{"id": 1,'], {
        headers: { 'content-type': 'application/json' },
      })
      statuses.push(res?.status ?? 0)
      await app.close()
    }
    expect(statuses).toEqual([400, 400])
    expect(seen.invalid).toHaveLength(2)
  })

  it('does nothing in a testing module compiled without an HTTP app', async () => {
    const { options } = recorder()
    const moduleRef = await Test.createTestingModule({
      imports: [SmartsuppHookModule.forRoot({ path: PATH, ...options })],
    }).compile()
    await moduleRef.init()
    expect(moduleRef.get(SMARTSUPP_HOOK_OPTIONS).path).toBe(PATH)
    await moduleRef.close()
  })

  it('refuses a path that is not an absolute path without parameters', () => {
    const receiver = (path: string) => () =>
      new SmartsuppHookReceiver({} as never, { path, onConversation: () => {} })
    expect(receiver('hooks/smartsupp')).toThrow(TypeError)
    expect(receiver('/hooks/:token')).toThrow(TypeError)
    expect(receiver('/')).toThrow(TypeError)
    expect(receiver('/hooks/smartsupp/').call(null).path).toBe('/hooks/smartsupp')
  })
})

describe("why SmartsuppHookModule answers before Nest: route-scoped middleware comes after Nest's body parser", () => {
  it('never sees malformed JSON, and a wrong token cannot stop the body being read', async () => {
    const calls: string[] = []
    class AppModule {
      configure(consumer: MiddlewareConsumer) {
        consumer
          .apply(
            (
              req: { url: string },
              res: { statusCode: number; end: (body: string) => void },
              next: () => void,
            ) => {
              calls.push(req.url)
              if (req.url.includes(TOKEN)) return next()
              res.statusCode = 401
              res.end('{"error":"Unauthorized"}')
            },
          )
          .forRoutes('hooks/*path')
      }
    }
    Module({ controllers: [otherController()] })(AppModule)
    const app = await NestFactory.create(AppModule, { logger: false })
    running = app
    await app.listen(0, '127.0.0.1')
    const { port } = app.getHttpServer().address() as AddressInfo
    const url = `http://127.0.0.1:${port}${PATH}/${TOKEN}`
    const malformed = await rawPost(url, ['{"id": 1,'], { headers: { 'content-type': 'application/json' } })
    expect(malformed?.status).toBe(400)
    expect(JSON.parse(malformed?.text ?? '{}')).toHaveProperty('message')
    const total = 16 * 1024 * 1024
    const wrong = await postUntilAnswered(url.replace(TOKEN, 'wrong'), total, 1024 * 1024)
    expect(wrong.status).toBe(413)
    expect(wrong.sentBytes).toBe(total)
    expect(calls).toEqual([])
  })
})
