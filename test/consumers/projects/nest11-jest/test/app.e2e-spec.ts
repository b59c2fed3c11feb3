import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { INestApplication } from '@nestjs/common'
import { ConfigService } from '@nestjs/config'
import { Test, TestingModule } from '@nestjs/testing'
import { signWebhookBody } from 'smartsupp-hook'
import {
  SMARTSUPP_HOOK_OPTIONS,
  SMARTSUPP_WEBHOOK_OPTIONS,
  SmartsuppHookModuleOptions,
  SmartsuppWebhookModuleOptions,
} from 'smartsupp-hook/nest'
import { webhookFixtures } from 'smartsupp-hook/testing'
import * as request from 'supertest'
import { AppModule } from '../src/app.module'
import { ConversationsService } from '../src/conversations.service'

// The payload file is written beside package.json by the consumer runner.
const payload = readFileSync(join(__dirname, '..', 'payload.json'), 'utf8')

const config: Record<string, string> = {
  SMARTSUPP_HOOK_TOKEN: 'test-token',
  SMARTSUPP_WEBHOOK_SECRET: 'test-webhook-secret',
}

// SMARTSUPP_HOOK_TOKEN and SMARTSUPP_WEBHOOK_SECRET are not set: importing AppModule must not
// need them, only creating the app.
describe('the Smartsupp hook (e2e), token from an overridden ConfigService', () => {
  let app: INestApplication

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(ConfigService)
      .useValue({ getOrThrow: (key: string) => config[key] })
      .compile()
    app = moduleFixture.createNestApplication()
    await app.init()
  })

  afterEach(async () => {
    await app.close()
  })

  it('decodes a delivery into the app service', async () => {
    await request(app.getHttpServer())
      .post('/hooks/smartsupp/test-token')
      .set('content-type', 'application/json')
      .send(payload)
      .expect(200, { ok: true })
    expect(app.get(ConversationsService).conversations.map((c) => c.id)).toEqual(['55039'])
  })

  it('hands a malformed JSON body to onInvalid with its exact bytes (400)', async () => {
    const malformed = '{"id": 55039, "accountId": 1,'
    const res = await request(app.getHttpServer())
      .post('/hooks/smartsupp/test-token')
      .set('content-type', 'application/json')
      .send(malformed)
      .expect(400)
    expect(typeof res.body.error).toBe('string')
    expect(app.get(ConversationsService).deadLetters.map((b) => b.toString())).toEqual([malformed])
  })

  it('answers a wrong token 401 and calls nothing', async () => {
    await request(app.getHttpServer())
      .post('/hooks/smartsupp/wrong-token')
      .set('content-type', 'application/json')
      .send('{"id": 1,')
      .expect(401)
    const service = app.get(ConversationsService)
    expect(service.conversations.length + service.deadLetters.length).toBe(0)
  })

  it('receives a webhook event signed with the secret, verified over its exact bytes', async () => {
    const event = JSON.stringify(webhookFixtures['conversation.agent_replied'](), null, 2)
    await request(app.getHttpServer())
      .post('/webhooks/smartsupp')
      .set('content-type', 'application/json')
      .set('x-smartsupp-hmac', await signWebhookBody(event, 'test-webhook-secret'))
      .send(event)
      .expect(200, { ok: true })
    expect(app.get(ConversationsService).events.map((e) => e.event)).toEqual(['conversation.agent_replied'])
  })

  it('answers a webhook signed with another secret 401 and calls nothing', async () => {
    const event = JSON.stringify(webhookFixtures['conversation.agent_replied']())
    await request(app.getHttpServer())
      .post('/webhooks/smartsupp')
      .set('content-type', 'application/json')
      .set('x-smartsupp-hmac', await signWebhookBody(event, 'another-secret'))
      .send(event)
      .expect(401)
    const service = app.get(ConversationsService)
    expect(service.events.length + service.deadLetters.length).toBe(0)
  })

  it("leaves the app's other routes to Nest", () => {
    return request(app.getHttpServer()).get('/').expect(200).expect('Hello World!')
  })
})

describe('the Smartsupp hook (e2e), options replaced whole with overrideProvider(SMARTSUPP_…_OPTIONS)', () => {
  it('calls the test doubles instead of the app service', async () => {
    const onConversation = jest.fn()
    const options: SmartsuppHookModuleOptions = {
      path: '/hooks/smartsupp',
      token: 'other-token',
      onConversation,
    }
    const onEvent = jest.fn()
    const webhookOptions: SmartsuppWebhookModuleOptions = {
      path: '/webhooks/smartsupp',
      secret: 'other-webhook-secret-0123',
      onEvent,
    }
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SMARTSUPP_HOOK_OPTIONS)
      .useValue(options)
      .overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS)
      .useValue(webhookOptions)
      .compile()
    const app = moduleFixture.createNestApplication()
    await app.init()
    try {
      await request(app.getHttpServer()).post('/hooks/smartsupp?token=other-token').send(payload).expect(200)
      expect(onConversation).toHaveBeenCalledTimes(1)
      expect(onConversation.mock.calls[0][0].id).toBe('55039')
      expect(app.get(ConversationsService).conversations).toEqual([])
      const event = JSON.stringify(webhookFixtures['conversation.closed']())
      await request(app.getHttpServer())
        .post('/webhooks/smartsupp')
        .set('x-smartsupp-hmac', await signWebhookBody(event, 'other-webhook-secret-0123'))
        .send(event)
        .expect(200)
      expect(onEvent).toHaveBeenCalledTimes(1)
      expect(onEvent.mock.calls[0][0].event).toBe('conversation.closed')
      expect(app.get(ConversationsService).events).toEqual([])
    } finally {
      await app.close()
    }
  })
})
