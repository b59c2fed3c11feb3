// NestJS 12, ESM only ("type": "module"), compiled by tsc with decorators and their metadata:
// `smartsupp-hook/nest` is loaded through `import` (the package's ESM build). Starts the app on an ephemeral port,
// posts the documented example over real HTTP and checks the answers; exits non-zero on failure.
import 'reflect-metadata'
import { strict as assert } from 'node:assert'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { Controller, HttpCode, Injectable, Module, Post, UseGuards } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import type { Conversation } from 'smartsupp-hook'
import { SmartsuppConversation, SmartsuppTokenGuard } from 'smartsupp-hook/nest'

const TOKEN = 'nest12-secret-0123456789'

@Injectable()
class ConversationStore {
  readonly conversations: Conversation[] = []
  readonly deadLetters: Uint8Array[] = []
}

const store = new ConversationStore()

@Controller('hooks')
class HookController {
  constructor(private readonly conversations: ConversationStore) {}

  @Post('smartsupp/:token')
  @HttpCode(200)
  @UseGuards(new SmartsuppTokenGuard({ token: TOKEN }))
  receive(
    @SmartsuppConversation({ onInvalid: (_failure, rawBody) => void store.deadLetters.push(rawBody) })
    conversation: Conversation,
  ) {
    this.conversations.conversations.push(conversation)
    return { ok: true, id: conversation.id }
  }
}

@Module({ controllers: [HookController], providers: [{ provide: ConversationStore, useValue: store }] })
class AppModule {}

async function main() {
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false })
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  const url = `http://127.0.0.1:${port}/hooks/smartsupp/${TOKEN}`
  try {
    const payload = readFileSync(new URL('../payload.json', import.meta.url))
    const json = { 'content-type': 'application/json' }
    const ok = await fetch(url, { method: 'POST', body: payload, headers: json })
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { ok: true, id: 55039 })
    assert.equal(store.conversations.length, 1)
    assert.equal(store.conversations[0]?.visitor?.name, 'Dusan Kmet')

    const badBody = '{"accountId": "x"}'
    const bad = await fetch(url, { method: 'POST', body: badBody, headers: json })
    assert.equal(bad.status, 400)
    const issues = ((await bad.json()) as { issues: { path: string }[] }).issues
    assert.ok(issues.some((i) => i.path === 'accountId'))
    assert.equal(Buffer.from(store.deadLetters[0] ?? []).toString(), badBody)

    const wrong = await fetch(url.replace(TOKEN, 'wrong-token'), {
      method: 'POST',
      body: payload,
      headers: json,
    })
    assert.equal(wrong.status, 401)
    assert.equal(store.conversations.length, 1)

    // { rawBody: true } + text/plain: Nest parses nothing, the decorator reads the exact bytes.
    const plain = await fetch(url, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(plain.status, 200)
    assert.equal(store.conversations.length, 2)
    const get = await fetch(url)
    assert.equal(get.status, 404)
    console.log(
      `nest12: 200 conversation ${store.conversations[0]?.id}, bad body 400 (${issues.length} issues), wrong token 401, text/plain 200, GET 404`,
    )
  } finally {
    await app.close()
  }
}

await main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
