// Not from the starter: the POST hook module of the docs' src/app.module.ts, tested as a Nest 11
// app is (Jest 30, ts-jest, @nestjs/testing, supertest), with the token from test/setup-env.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import {
  SMARTSUPP_HOOK_OPTIONS,
  SmartsuppHookModuleOptions,
} from 'smartsupp-hook/nest';
import { fixtures, postConversation } from 'smartsupp-hook/testing';
import request from 'supertest';
import { App } from 'supertest/types';
import { AppModule } from './../src/app.module';
import { ConversationsService } from './../src/conversations/conversations.service';

// The payload file is written beside package.json by the consumer runner.
const payload = readFileSync(join(__dirname, '..', 'payload.json'), 'utf8');

describe('the Smartsupp hook (e2e), token from test/setup-env.ts', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    app = moduleFixture.createNestApplication();
    await app.init();
  });

  afterEach(async () => {
    await app.close();
  });

  it('is the CommonJS build (Jest without --experimental-vm-modules)', () => {
    expect(require.resolve('smartsupp-hook/testing')).toMatch(/testing\.cjs$/);
  });

  it('postConversation(app.getHttpServer()) delivers into the app service', async () => {
    const res = await postConversation(app.getHttpServer(), fixtures.missed(), {
      url: '/hooks/smartsupp/test-token',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(app.get(ConversationsService).conversations).toHaveLength(1);
  });

  it('supertest: a delivery with the token as a query', async () => {
    await request(app.getHttpServer())
      .post('/hooks/smartsupp?token=test-token')
      .set('content-type', 'application/json')
      .send(payload)
      .expect(200, { ok: true });
    expect(app.get(ConversationsService).conversations.map((c) => c.id)).toEqual(['55039']);
  });

  it('hands a malformed JSON body to onInvalid with its exact bytes (400)', async () => {
    const malformed = '{"id": 55039, "accountId": 1,';
    const res = await request(app.getHttpServer())
      .post('/hooks/smartsupp/test-token')
      .set('content-type', 'application/json')
      .send(malformed)
      .expect(400);
    expect(typeof res.body.error).toBe('string');
    const [dead] = app.get(ConversationsService).deadLetters;
    expect(dead.rawBody.toString()).toBe(malformed);
    expect(dead.failure.issues.length).toBeGreaterThan(0);
  });

  it('answers a wrong token 401 and calls nothing', async () => {
    const res = await postConversation(app.getHttpServer(), '{"id": 1,', {
      url: '/hooks/smartsupp/wrong-token',
    });
    expect(res.status).toBe(401);
    const service = app.get(ConversationsService);
    expect(service.conversations.length + service.deadLetters.length).toBe(0);
  });

  it("leaves the app's other routes to Nest", () => {
    return request(app.getHttpServer()).get('/').expect(200).expect('Hello World!');
  });
});

describe('the Smartsupp hook (e2e), in one suite', () => {
  it('overrideProvider(ConfigService) gives another token', async () => {
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(ConfigService)
      .useValue({ getOrThrow: () => 'other-token' })
      .compile();
    const app = moduleFixture.createNestApplication();
    await app.init();
    try {
      const url = '/hooks/smartsupp/other-token';
      expect((await postConversation(app.getHttpServer(), payload, { url })).status).toBe(200);
      const old = '/hooks/smartsupp/test-token';
      expect((await postConversation(app.getHttpServer(), payload, { url: old })).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('overrideProvider(SMARTSUPP_HOOK_OPTIONS) replaces the options whole', async () => {
    const onConversation = jest.fn();
    const options: SmartsuppHookModuleOptions = {
      path: '/hooks/smartsupp',
      token: 'other-token',
      onConversation,
    };
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SMARTSUPP_HOOK_OPTIONS)
      .useValue(options)
      .compile();
    const app = moduleFixture.createNestApplication();
    await app.init();
    try {
      await request(app.getHttpServer())
        .post('/hooks/smartsupp?token=other-token')
        .send(payload)
        .expect(200);
      expect(onConversation).toHaveBeenCalledTimes(1);
      expect(onConversation.mock.calls[0][0].id).toBe('55039');
      expect(app.get(ConversationsService).conversations).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
