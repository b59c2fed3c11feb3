// NestJS 11, CommonJS, compiled by tsc with decorators and their metadata: `smartsupp-hook/nest`
// is loaded through `require` (the package's CJS build). An app with Nest's defaults (body parser
// on) imports SmartsuppHookModule with its token and SmartsuppWebhookModule with its secret
// from ConfigService; main.ts adds nothing. Posts over real HTTP (the webhook signed with
// signWebhookBody) and checks the answers; exits non-zero on failure.
import 'reflect-metadata'
import { strict as assert } from 'node:assert'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Body, Controller, Injectable, Module, Post } from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { NestFactory } from '@nestjs/core'
import { type Conversation, signWebhookBody, type WebhookEvent } from 'smartsupp-hook'
import {
  SmartsuppHookModule,
  SmartsuppRefusedError,
  SmartsuppTimeoutError,
  SmartsuppWebhookModule,
} from 'smartsupp-hook/nest'
import { webhookFixtures } from 'smartsupp-hook/testing'

const TOKEN = 'nest11-secret-0123456789'
const WEBHOOK_SECRET = 'nest11-webhook-secret-0123456789'

@Injectable()
class ConversationsService {
  readonly conversations: Conversation[] = []
  readonly deadLetters: Uint8Array[] = []
  readonly events: WebhookEvent[] = []
  readonly errors: unknown[] = []
  /** When true, onConversation never settles (a hung database). */
  hang = false
}

@Module({ providers: [ConversationsService], exports: [ConversationsService] })
class ConversationsModule {}

@Controller('other')
class OtherController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { echoed: body }
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ SMARTSUPP_HOOK_TOKEN: TOKEN, SMARTSUPP_WEBHOOK_SECRET: WEBHOOK_SECRET })],
    }),
    SmartsuppHookModule.forRootAsync({
      imports: [ConfigModule, ConversationsModule],
      inject: [ConfigService, ConversationsService],
      useFactory: (config: ConfigService, store: ConversationsService) => ({
        path: '/hooks/smartsupp',
        token: config.getOrThrow<string>('SMARTSUPP_HOOK_TOKEN'),
        limit: 256 * 1024,
        timeoutMs: 500,
        onConversation: (conversation) =>
          store.hang ? new Promise<void>(() => {}) : void store.conversations.push(conversation),
        onInvalid: (_failure, rawBody) => void store.deadLetters.push(Uint8Array.from(rawBody)),
        onError: (error) => void store.errors.push(error),
      }),
    }),
    SmartsuppWebhookModule.forRootAsync({
      imports: [ConfigModule, ConversationsModule],
      inject: [ConfigService, ConversationsService],
      useFactory: (config: ConfigService, store: ConversationsService) => ({
        path: '/webhooks/smartsupp',
        secret: config.getOrThrow<string>('SMARTSUPP_WEBHOOK_SECRET'),
        onEvent: (event) => void store.events.push(event),
      }),
    }),
  ],
  controllers: [OtherController],
})
class AppModule {}

/** Writes 1 MiB chunks until `totalBytes` or the answer; resolves with the status and the bytes written before it. */
function postUntilAnswered(
  url: string,
  totalBytes: number,
): Promise<{ status: number; sentBytes: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json' },
    })
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    let sentBytes = 0
    let answered = false
    req.on('response', (res) => {
      answered = true
      const sentAtAnswer = sentBytes
      res.resume()
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, sentBytes: sentAtAnswer, connection: res.headers.connection }),
      )
    })
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    const pump = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })
}

/** Posts exactly `body` with exactly `headers` (node:http, so nothing is added or re-encoded). */
function postBytes(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(body.length) },
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (part: string) => {
        text += part
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
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

/** Bodies Nest's default body parser answered itself under 0.1.0 (the list of test/adapters/nest.test.ts). */
function undecodable(example: string): [string, Uint8Array, Record<string, string>][] {
  const json = { 'content-type': 'application/json' }
  return [
    ['malformed JSON', utf8('{"id": 55039, "accountId": 1,'), json],
    ['a truncated body', utf8(example.slice(0, 200)), json],
    ['a trailing comma', utf8('{"id": 1,}'), json],
    ['a raw control character', utf8('{"id": 1, "x": "a\u0001b"}'), json],
    [
      'charset=latin1',
      Uint8Array.from([...utf8('{"visitor": {"name": "J'), 0xfc, ...utf8('rgen"}}')]),
      { 'content-type': 'application/json; charset=latin1' },
    ],
    ['charset=utf-16', utf16le(example), { 'content-type': 'application/json; charset=utf-16' }],
    ['a false Content-Encoding: gzip', utf8(example), { ...json, 'content-encoding': 'gzip' }],
    ['an empty body', new Uint8Array(0), json],
    ['a form Content-Type', utf8('{"id": 1}'), { 'content-type': 'application/x-www-form-urlencoded' }],
  ]
}

/** Declares `length` bytes and sends none; resolves with the status of the answer. */
function declareOnly(url: string, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-length': String(length) } })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
      req.destroy()
    })
    req.on('error', reject)
    req.flushHeaders()
  })
}

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false })
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const url = `${origin}/hooks/smartsupp/${TOKEN}`
  const store = app.get(ConversationsService)
  try {
    const payload = readFileSync(join(__dirname, '..', 'payload.json'))
    const json = { 'content-type': 'application/json' }
    const ok = await fetch(url, { method: 'POST', body: payload, headers: json })
    assert.equal(ok.status, 200)
    assert.equal(store.conversations[0]?.visitor?.name, 'Dusan Kmet')

    // Every undecodable body reaches onInvalid once, with its exact bytes.
    for (const [name, body, headers] of undecodable(payload.toString('utf8'))) {
      const before = store.deadLetters.length
      const bad = await postBytes(url, body, headers)
      assert.equal(bad.status, 400, `${name}: ${bad.status} ${bad.text}`)
      assert.equal(typeof (JSON.parse(bad.text) as { error: unknown }).error, 'string', name)
      assert.equal(store.deadLetters.length, before + 1, `${name}: onInvalid once`)
      assert.ok(Buffer.from(store.deadLetters[before] ?? []).equals(body), `${name}: the exact bytes`)
    }
    const kept = store.deadLetters.length

    const zstd = await postBytes(url, payload, { ...json, 'content-encoding': 'zstd' })
    assert.equal(zstd.status, 415, `unknown Content-Encoding: ${zstd.status} ${zstd.text}`)
    assert.equal(store.deadLetters.length, kept)
    // The refusal is not invisible: onError hears of it once, with its reason and status.
    const refused = store.errors.splice(0)
    assert.equal(refused.length, 1, `onError once for the 415, got ${refused.length}`)
    const refusal = refused[0]
    assert.ok(refusal instanceof SmartsuppRefusedError, 'onError gets a SmartsuppRefusedError for the 415')
    assert.equal(refusal.reason, 'unsupported_encoding')
    assert.equal(refusal.status, 415)

    store.hang = true
    const late = await postBytes(url, payload, json)
    store.hang = false
    assert.equal(late.status, 503, `a never-settling onConversation: ${late.status} ${late.text}`)
    assert.ok(store.errors[0] instanceof SmartsuppTimeoutError, 'onError gets a SmartsuppTimeoutError')
    assert.equal(store.errors.length, 1)

    const total = 64 * 1024 * 1024
    const wrong = await postUntilAnswered(url.replace(TOKEN, 'wrong-token'), total)
    assert.equal(wrong.status, 401)
    assert.equal(wrong.connection, 'close')
    assert.ok(wrong.sentBytes < total, 'the 401 came before the body was sent')

    assert.equal(await declareOnly(url, 50 * 1024 * 1024), 413)
    const over = await postUntilAnswered(url, total)
    assert.equal(over.status, 413)
    assert.ok(over.sentBytes < total, 'the 413 came before the body was sent')

    const other = await fetch(`${origin}/other/echo`, { method: 'POST', body: '{"a":1}', headers: json })
    assert.deepEqual(await other.json(), { echoed: { a: 1 } })
    assert.equal(store.conversations.length, 1)
    assert.equal(store.deadLetters.length, kept)

    // A pretty-printed event: only its exact bytes verify, so Nest's body parser must not have read it.
    const event = JSON.stringify(webhookFixtures['conversation.contact_replied'](), null, 2)
    const webhook = `${origin}/webhooks/smartsupp`
    const sign = async (secret: string) => ({
      ...json,
      'x-smartsupp-hmac': await signWebhookBody(event, secret),
    })
    const signed = await fetch(webhook, { method: 'POST', body: event, headers: await sign(WEBHOOK_SECRET) })
    assert.equal(signed.status, 200)
    const forged = await fetch(webhook, {
      method: 'POST',
      body: event,
      headers: await sign('another-secret'),
    })
    assert.equal(forged.status, 401)
    assert.equal(store.events.length, 1)
    const received = store.events[0]
    assert.ok(received?.known && received.event === 'conversation.contact_replied')
    assert.equal(received.data.message?.text, 'Hello, is the blue jacket in stock in size M?')
    console.log(
      `nest11: 200 conversation ${store.conversations[0]?.id}, ${kept} undecodable bodies 400 + onInvalid exact bytes, unknown encoding 415, hung callback 503, wrong token 401 after ${wrong.sentBytes >> 20} of 64 MiB, declared 50 MiB 413, chunked over limit 413, other routes still Nest's; webhook ${store.events[0]?.event} 200, forged 401`,
    )
  } finally {
    app.getHttpServer().closeAllConnections()
    await app.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
