import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { INestApplication } from '@nestjs/common'
import { ConfigService } from '@nestjs/config'
import { Test, TestingModule } from '@nestjs/testing'
import { SMARTSUPP_HOOK_OPTIONS, SmartsuppHookModuleOptions } from 'smartsupp-hook/nest'
import * as request from 'supertest'
import { AppModule } from '../src/app.module'
import { ConversationsService } from '../src/conversations.service'

// The payload file is written beside package.json by the consumer runner.
const payload = readFileSync(join(__dirname, '..', 'payload.json'), 'utf8')

// SMARTSUPP_HOOK_TOKEN is not set: importing AppModule must not need it, only creating the app.
describe('the Smartsupp hook (e2e), token from an overridden ConfigService', () => {
  let app: INestApplication

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(ConfigService)
      .useValue({ getOrThrow: (key: string) => (key === 'SMARTSUPP_HOOK_TOKEN' ? 'test-token' : undefined) })
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
    expect(app.get(ConversationsService).conversations.map((c) => c.id)).toEqual([55039])
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

  it("leaves the app's other routes to Nest", () => {
    return request(app.getHttpServer()).get('/').expect(200).expect('Hello World!')
  })
})

describe('the Smartsupp hook (e2e), options replaced whole with overrideProvider(SMARTSUPP_HOOK_OPTIONS)', () => {
  it('calls the test double instead of the app service', async () => {
    const onConversation = jest.fn()
    const options: SmartsuppHookModuleOptions = {
      path: '/hooks/smartsupp',
      token: 'other-token',
      onConversation,
    }
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SMARTSUPP_HOOK_OPTIONS)
      .useValue(options)
      .compile()
    const app = moduleFixture.createNestApplication()
    await app.init()
    try {
      await request(app.getHttpServer()).post('/hooks/smartsupp?token=other-token').send(payload).expect(200)
      expect(onConversation).toHaveBeenCalledTimes(1)
      expect(onConversation.mock.calls[0][0].id).toBe(55039)
      expect(app.get(ConversationsService).conversations).toEqual([])
    } finally {
      await app.close()
    }
  })
})
