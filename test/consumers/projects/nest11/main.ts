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
import { SmartsuppHookModule, SmartsuppWebhookModule } from 'smartsupp-hook/nest'
import { webhookFixtures } from 'smartsupp-hook/testing'

const TOKEN = 'nest11-secret-0123456789'
const WEBHOOK_SECRET = 'nest11-webhook-secret-0123456789'

@Injectable()
class ConversationsService {
  readonly conversations: Conversation[] = []
  readonly deadLetters: Uint8Array[] = []
  readonly events: WebhookEvent[] = []
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
        onConversation: (conversation) => void store.conversations.push(conversation),
        onInvalid: (_failure, rawBody) => void store.deadLetters.push(Uint8Array.from(rawBody)),
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

    const malformed = '{"id": 55039, "accountId": 1,'
    const bad = await fetch(url, { method: 'POST', body: malformed, headers: json })
    assert.equal(bad.status, 400)
    assert.equal(typeof ((await bad.json()) as { error: unknown }).error, 'string')
    assert.equal(Buffer.from(store.deadLetters[0] ?? []).toString(), malformed)

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
    assert.equal(store.deadLetters.length, 1)

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
      `nest11: 200 conversation ${store.conversations[0]?.id}, malformed 400 + onInvalid exact bytes, wrong token 401 after ${wrong.sentBytes >> 20} of 64 MiB, declared 50 MiB 413, chunked over limit 413, other routes still Nest's; webhook ${store.events[0]?.event} 200, forged 401`,
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
