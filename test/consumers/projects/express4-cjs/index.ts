// An existing Express 4 TypeScript app as most are set up: CommonJS ("module": "commonjs", so
// TypeScript resolves like node10), express.json() mounted globally before every route. The hook
// is added on its path with its body-parser companion, then real HTTP checks each outcome. The
// webhook receiver is mounted before express.json(), as the README says, and gets one signed event.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { type Conversation, signWebhookBody, type WebhookEvent } from 'smartsupp-hook'
import { smartsuppHook, smartsuppWebhook, unlessPath } from 'smartsupp-hook/express'
import { webhookFixtures } from 'smartsupp-hook/testing'

import payload = require('./payload.json')

const TOKEN = 'consumer-secret-0123456789'
const WEBHOOK_SECRET = 'consumer-webhook-secret'

async function main(): Promise<void> {
  const received: Conversation[] = []
  const invalid: string[] = []
  const errors: string[] = []
  const events: WebhookEvent[] = []
  const app = express()
  app.use(
    '/webhooks/smartsupp',
    smartsuppWebhook({
      secret: WEBHOOK_SECRET,
      onEvent: (event) => void events.push(event),
    }),
  )
  app.use(express.json())
  const hook = smartsuppHook({
    token: TOKEN,
    warnParsedBody: false,
    onConversation: (conversation) => {
      received.push(conversation)
    },
    onInvalid: (_failure, rawBody) => {
      invalid.push(Buffer.from(rawBody).toString('utf8'))
    },
    onError: (error) => {
      errors.push(String(error))
    },
  })
  app.use('/hooks/smartsupp', hook, hook.bodyParserErrors)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}/hooks/smartsupp?token=${TOKEN}`
  const post = (body: string, target = url) =>
    fetch(target, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  const expectStatus = async (what: string, response: Promise<Response>, status: number) => {
    const res = await response
    const body = (await res.json()) as Record<string, unknown>
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}`)
    if (status !== 200 && typeof body.error !== 'string') throw new Error(`${what}: no JSON { error }`)
  }
  try {
    await expectStatus('the documented example', post(JSON.stringify(payload)), 200)
    await expectStatus('malformed JSON', post('{"id": 1,'), 400)
    await expectStatus('150 kB', post(JSON.stringify({ ...payload, padding: 'x'.repeat(150_000) })), 413)
    await expectStatus('GET', fetch(url), 405)
    await expectStatus('wrong token', post(JSON.stringify(payload), url.replace(TOKEN, 'wrong')), 401)
    const event = JSON.stringify(webhookFixtures['conversation.agent_replied']())
    const webhookUrl = `http://127.0.0.1:${port}/webhooks/smartsupp`
    const signature = await signWebhookBody(event, WEBHOOK_SECRET)
    const signed = fetch(webhookUrl, {
      method: 'POST',
      body: event,
      headers: { 'x-smartsupp-hmac': signature },
    })
    await expectStatus('a signed webhook', signed, 200)
    await expectStatus('an unsigned webhook', fetch(webhookUrl, { method: 'POST', body: event }), 401)
  } finally {
    server.close()
  }
  if (received.length !== 1 || received[0]?.id !== '55039')
    throw new Error('onConversation was not called once')
  if (invalid.join('|') !== '{"id": 1,') throw new Error(`onInvalid got ${JSON.stringify(invalid)}`)
  if (errors.length !== 1 || !errors[0]?.includes('body parser')) throw new Error(`onError got ${errors}`)
  if (events.length !== 1 || events[0]?.event !== 'conversation.agent_replied')
    throw new Error(`onEvent got ${events.map((e) => e.event)}`)
  await wrappedParser()
  console.log(
    'express4-cjs: POST 200, malformed 400 to onInvalid, 150 kB 413 to onError, GET 405, wrong token 401; signed webhook 200, unsigned 401; with unlessPath(path, express.json()): 150 kB 200, malformed 400 with the exact bytes, other routes parsed',
  )
}

/** The one-line change the README recommends: the global parser wrapped so it skips the hook's path. */
async function wrappedParser(): Promise<void> {
  const received: Conversation[] = []
  const invalid: string[] = []
  const app = express()
  app.use(unlessPath('/hooks/smartsupp', express.json()))
  app.use(
    '/hooks/smartsupp',
    smartsuppHook({
      token: TOKEN,
      onConversation: (conversation) => {
        received.push(conversation)
      },
      onInvalid: (_failure, rawBody) => {
        invalid.push(Buffer.from(rawBody).toString('utf8'))
      },
    }),
  )
  app.post('/other', (req, res) => {
    res.json({ parsed: req.body })
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const post = (body: string, target: string) =>
    fetch(target, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  try {
    const url = `${origin}/hooks/smartsupp?token=${TOKEN}`
    const long = await post(JSON.stringify({ ...payload, padding: 'x'.repeat(150_000) }), url)
    if (long.status !== 200) throw new Error(`unlessPath: 150 kB answered ${long.status}`)
    const malformed = '{"id": 1,  \t'
    const bad = await post(malformed, url)
    if (bad.status !== 400) throw new Error(`unlessPath: malformed JSON answered ${bad.status}`)
    if (invalid.join('|') !== malformed)
      throw new Error(`unlessPath: onInvalid got ${JSON.stringify(invalid)}`)
    const other = await post('{"a":1}', `${origin}/other`)
    const parsed = JSON.stringify(await other.json())
    if (parsed !== '{"parsed":{"a":1}}') throw new Error(`unlessPath: /other got ${parsed}`)
  } finally {
    server.close()
  }
  if (received.length !== 1) throw new Error('unlessPath: onConversation was not called once')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
