import 'reflect-metadata'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Body, Controller, type DynamicModule, type INestApplication, Module, Post } from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { NestFactory } from '@nestjs/core'
import { Test } from '@nestjs/testing'
import { type DecodeFailure, signWebhookBody, type WebhookEvent } from 'smartsupp-hook'
import {
  SMARTSUPP_WEBHOOK_OPTIONS,
  SmartsuppHookModule,
  SmartsuppWebhookModule,
  type SmartsuppWebhookModuleOptions,
  SmartsuppWebhookReceiver,
} from 'smartsupp-hook/nest'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { exampleBody } from './support/example-body.js'
import { rawPost } from './support/raw-post.js'
import { describeWebhookReceiver } from './support/webhook-contract.js'

const SECRET = 'nest-webhook-secret-0123456789abcdef'
const PATH = '/webhooks/smartsupp'
const APP_ID = 'ap40qUkYi'

interface Seen {
  events: WebhookEvent[]
  invalid: { failure: DecodeFailure; rawBody: Uint8Array }[]
  errors: unknown[]
}

type Callbacks = Pick<SmartsuppWebhookModuleOptions, 'onEvent' | 'onInvalid' | 'onError'>

function recorder(): { seen: Seen; callbacks: Callbacks } {
  const seen: Seen = { events: [], invalid: [], errors: [] }
  return {
    seen,
    callbacks: {
      onEvent: (event) => void seen.events.push(event),
      onInvalid: (failure, rawBody) => void seen.invalid.push({ failure, rawBody: Uint8Array.from(rawBody) }),
      onError: (error) => void seen.errors.push(error),
    },
  }
}

const calls = (seen: Seen) => seen.events.length + seen.invalid.length + seen.errors.length

/** Pretty-printed, as a re-serialising body parser would never write it back: only the exact bytes verify. */
const bodyOf = (value: unknown): string => JSON.stringify(value, null, 2)
const opened = () => bodyOf(webhookFixtures['conversation.opened']())
const signed = async (body: string | Uint8Array, secret = SECRET) => ({
  'content-type': 'application/json',
  'x-smartsupp-hmac': await signWebhookBody(body, secret),
})

/**
 * The rest of the app: a controller whose POST body goes through Nest's own JSON parser, to show
 * that everything off the webhook path still reaches Nest. Decorators applied as plain calls
 * (vitest's transform emits no decorator metadata), as TypeScript's output would.
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

function appModule(...imports: DynamicModule[]): new () => unknown {
  class AppModule {}
  Module({ imports, controllers: [otherController()] })(AppModule)
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

async function listen(app: INestApplication): Promise<string> {
  running = app
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

/** `NestFactory.create` with Nest's defaults (body parser on), as `nest new` generates. */
async function start(
  modules: DynamicModule[],
  create: { rawBody?: boolean; bodyParser?: boolean } = {},
): Promise<string> {
  return listen(await NestFactory.create(appModule(...modules), { logger: false, ...create }))
}

async function startWithRecorder(extra: Partial<SmartsuppWebhookModuleOptions> = {}) {
  const { seen, callbacks } = recorder()
  const origin = await start([
    SmartsuppWebhookModule.forRoot({ path: PATH, secret: SECRET, ...callbacks, ...extra }),
  ])
  return { seen, origin, url: `${origin}${PATH}` }
}

/**
 * Writes `chunkBytes`-sized chunks of spaces until `totalBytes` or until the answer arrives;
 * resolves with the answer and how many bytes were written before it.
 */
function postUntilAnswered(
  url: string,
  totalBytes: number,
  chunkBytes: number,
  headers: Record<string, string>,
): Promise<{ status: number; connection: string | undefined; text: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers })
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
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          text,
          sentBytes: sentAtAnswer,
        }),
      )
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

// The behaviour every webhook adapter shows (test/adapters/support/webhook-contract.ts), here
// through SmartsuppWebhookModule in an app with Nest's defaults.
describeWebhookReceiver('NestJS 11, SmartsuppWebhookModule', async (options) => {
  const app = await NestFactory.create(
    appModule(SmartsuppWebhookModule.forRoot({ path: '/hooks/smartsupp', ...options })),
    { logger: false },
  )
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      app.getHttpServer().closeAllConnections?.()
      await app.close()
    },
  }
})

describe('NestJS: SmartsuppWebhookModule in an app with Nest defaults (body parser on)', () => {
  it('hands onEvent a signed delivery once, answers 200, and the rest of the app still gets Nest', async () => {
    const { seen, origin, url } = await startWithRecorder()
    const body = opened()
    const res = await fetch(url, { method: 'POST', body, headers: await signed(body) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(seen.events.map((e) => e.event)).toEqual(['conversation.opened'])
    expect(seen.events[0]?.known).toBe(true)
    expect(seen.invalid.length + seen.errors.length).toBe(0)
    const other = await fetch(`${origin}/other/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect(other.status).toBe(201)
    expect(await other.json()).toEqual({ echoed: { a: 1 } })
  })

  it('verifies the exact bytes: the same event with a signature over its re-serialised form is 401', async () => {
    const { seen, url } = await startWithRecorder()
    const body = opened()
    const reserialised = JSON.stringify(JSON.parse(body))
    const res = await fetch(url, { method: 'POST', body, headers: await signed(reserialised) })
    expect(res.status).toBe(401)
    expect(calls(seen)).toBe(0)
  })

  it.each([
    ['missing', {}],
    ['not hex', { 'x-smartsupp-hmac': 'not-a-signature' }],
  ])(
    'answers a %s signature 401 with Connection: close before a large chunked body is read',
    async (_label, header) => {
      const { seen, url } = await startWithRecorder()
      const total = 256 * 1024 * 1024
      const res = await postUntilAnswered(url, total, 1024 * 1024, {
        'content-type': 'application/json',
        ...header,
      })
      expect(res.status).toBe(401)
      expect(res.connection).toBe('close')
      expect(res.sentBytes).toBeLessThan(total)
      expect(calls(seen)).toBe(0)
    },
  )

  it('answers a chunked body over limit 413 before the rest is sent, and tells onError once', async () => {
    const { seen, url } = await startWithRecorder({ limit: 64 * 1024 })
    const total = 64 * 1024 * 1024
    const res = await postUntilAnswered(url, total, 64 * 1024, await signed(opened()))
    expect(res.status).toBe(413)
    expect(res.connection).toBe('close')
    expect(res.sentBytes).toBeLessThan(total)
    expect(seen.events.length + seen.invalid.length).toBe(0)
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toMatchObject({ name: 'SmartsuppRefusedError', status: 413, limitBytes: 65_536 })
  })

  it('answers 405 to other methods on the path, and leaves paths below it to Nest', async () => {
    const { seen, origin, url } = await startWithRecorder()
    const get = await fetch(url)
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    const body = opened()
    expect((await fetch(`${url}/`, { method: 'POST', body, headers: await signed(body) })).status).toBe(200)
    const below = await fetch(`${origin}${PATH}/extra`, { method: 'POST', body, headers: await signed(body) })
    expect(below.status).toBe(404)
    expect(seen.events).toHaveLength(1)
  })

  it.each([
    ['{ rawBody: true }', { rawBody: true }],
    ['{ bodyParser: false }', { bodyParser: false }],
  ] as const)('works the same in an app created with %s', async (_label, create) => {
    const { seen, callbacks } = recorder()
    const origin = await start(
      [SmartsuppWebhookModule.forRoot({ path: PATH, secret: SECRET, ...callbacks })],
      create,
    )
    const body = opened()
    const res = await fetch(`${origin}${PATH}`, { method: 'POST', body, headers: await signed(body) })
    expect(res.status).toBe(200)
    expect(seen.events).toHaveLength(1)
  })
})

describe('NestJS: SmartsuppWebhookModule options from dependency injection', () => {
  it('takes the secret and appId from ConfigService through forRootAsync, when the app is created', async () => {
    const { seen, callbacks } = recorder()
    const webhooks = SmartsuppWebhookModule.forRootAsync({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ SMARTSUPP_WEBHOOK_SECRET: SECRET, SMARTSUPP_APP_ID: APP_ID })],
        }),
      ],
      inject: [ConfigService],
      useFactory: async (config: ConfigService) => ({
        path: PATH,
        secret: config.getOrThrow<string>('SMARTSUPP_WEBHOOK_SECRET'),
        appId: config.getOrThrow<string>('SMARTSUPP_APP_ID'),
        ...callbacks,
      }),
    })
    const origin = await start([webhooks])
    const body = opened()
    expect(
      (await fetch(`${origin}${PATH}`, { method: 'POST', body, headers: await signed(body) })).status,
    ).toBe(200)
    expect(
      (await fetch(`${origin}${PATH}`, { method: 'POST', body, headers: await signed(body, 'wrong') }))
        .status,
    ).toBe(401)
    expect(seen.events).toHaveLength(1)
  })

  it.each([
    ['undefined', undefined, /options\.secret is undefined/],
    ['empty', '', /options\.secret is empty/],
  ])(
    'fails when the app is created, naming the fix, if the secret is %s',
    async (_label, secret, message) => {
      const webhooks = SmartsuppWebhookModule.forRootAsync({
        useFactory: () => ({ path: PATH, secret: secret as string, onEvent: () => {} }),
      })
      await expect(
        NestFactory.create(appModule(webhooks), { logger: false, abortOnError: false }),
      ).rejects.toThrow(message)
    },
  )

  it('can be replaced whole in a @nestjs/testing module (overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS))', async () => {
    const production = SmartsuppWebhookModule.forRootAsync({
      useFactory: () => {
        throw new Error('the production factory must not run in this test')
      },
    })
    const { seen, callbacks } = recorder()
    const moduleRef = await Test.createTestingModule({ imports: [appModule(production)] })
      .overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS)
      .useValue({ path: PATH, secret: 'test-webhook-secret-0123456789', ...callbacks })
      .compile()
    const app = moduleRef.createNestApplication({ logger: false })
    running = app
    await app.init()
    await new Promise<void>((resolve) => app.getHttpServer().listen(0, '127.0.0.1', resolve))
    const { port } = app.getHttpServer().address() as AddressInfo
    const body = opened()
    const res = await fetch(`http://127.0.0.1:${port}${PATH}`, {
      method: 'POST',
      body,
      headers: await signed(body, 'test-webhook-secret-0123456789'),
    })
    expect(res.status).toBe(200)
    expect(seen.events).toHaveLength(1)
    expect(moduleRef.get(SmartsuppWebhookReceiver).path).toBe(PATH)
  })

  it('fronts each app created from one compiled testing module', async () => {
    const { seen, callbacks } = recorder()
    const moduleRef = await Test.createTestingModule({
      imports: [appModule(SmartsuppWebhookModule.forRoot({ path: PATH, secret: SECRET, ...callbacks }))],
    }).compile()
    const body = opened()
    const statuses: number[] = []
    for (let i = 0; i < 2; i++) {
      const app = moduleRef.createNestApplication({ logger: false })
      await app.listen(0, '127.0.0.1')
      const { port } = app.getHttpServer().address() as AddressInfo
      const res = await rawPost(`http://127.0.0.1:${port}${PATH}`, [body], { headers: await signed(body) })
      statuses.push(res?.status ?? 0)
      await app.close()
    }
    expect(statuses).toEqual([200, 200])
    expect(seen.events).toHaveLength(2)
  })

  it('sits beside SmartsuppHookModule (the legacy POST hook) in one app, each on its own path', async () => {
    const { seen, callbacks } = recorder()
    const conversations: string[] = []
    const origin = await start([
      SmartsuppHookModule.forRoot({
        path: '/hooks/smartsupp',
        token: 'legacy-token',
        onConversation: (conversation) => void conversations.push(conversation.id),
      }),
      SmartsuppWebhookModule.forRoot({ path: PATH, secret: SECRET, ...callbacks }),
    ])
    const body = opened()
    expect(
      (await fetch(`${origin}${PATH}`, { method: 'POST', body, headers: await signed(body) })).status,
    ).toBe(200)
    expect(
      (await fetch(`${origin}/hooks/smartsupp/legacy-token`, { method: 'POST', body: exampleBody })).status,
    ).toBe(200)
    expect(seen.events).toHaveLength(1)
    expect(conversations).toEqual(['55039'])
  })

  it('refuses a path that is not an absolute path without parameters, naming the module', () => {
    const receiver = (path: string) => () =>
      new SmartsuppWebhookReceiver({} as never, { path, secret: SECRET, onEvent: () => {} })
    expect(receiver('webhooks/smartsupp')).toThrow(/SmartsuppWebhookModule/)
    expect(receiver('/webhooks/:id')).toThrow(TypeError)
    expect(receiver('/')).toThrow(TypeError)
    expect(receiver('/webhooks/smartsupp/').call(null).path).toBe('/webhooks/smartsupp')
  })

  it('refuses forRootAsync without a useFactory', () => {
    expect(() => SmartsuppWebhookModule.forRootAsync({} as never)).toThrow(/useFactory/)
  })
})
