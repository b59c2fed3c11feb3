// Not from the starter: smartsupp-hook/testing under Jest's CommonJS runtime (ts-jest, no
// --experimental-vm-modules), with every kind of target it takes, and supertest beside it.
// The CommonJS build used to load node:http with a dynamic import(), which Jest refuses here.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as express from 'express';
import { signWebhookBody, WebhookEvent } from 'smartsupp-hook';
import { smartsuppWebhook } from 'smartsupp-hook/express';
import { createSmartsuppWebhookFetchHandler } from 'smartsupp-hook/fetch';
import {
  SMARTSUPP_WEBHOOK_OPTIONS,
  SmartsuppWebhookModuleOptions,
} from 'smartsupp-hook/nest';
import { createSmartsuppWebhookListener } from 'smartsupp-hook/node';
import {
  fixtures,
  postConversation,
  postWebhookEvent,
  webhookFixtures,
} from 'smartsupp-hook/testing';
import * as request from 'supertest';
import { AppModule } from '../src/app.module';
import { EventsService } from '../src/events/events.service';

const secret = 'test-webhook-secret'; // test/setup-env.ts

describe('smartsupp-hook/testing under Jest (CommonJS)', () => {
  it('is the CommonJS build', () => {
    expect(require.resolve('smartsupp-hook/testing')).toMatch(/testing\.cjs$/);
  });

  describe('a Nest app', () => {
    let app: INestApplication;

    beforeEach(async () => {
      const moduleFixture = await Test.createTestingModule({
        imports: [AppModule],
      }).compile();
      app = moduleFixture.createNestApplication();
      await app.init();
    });

    afterEach(async () => {
      await app.close();
    });

    it('postWebhookEvent(app.getHttpServer()): a re-delivery reaches onEvent once', async () => {
      const event = webhookFixtures['conversation.agent_replied']();
      for (let i = 0; i < 2; i++) {
        const res = await postWebhookEvent(app.getHttpServer(), event, {
          secret,
          url: '/webhooks/smartsupp',
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ok: true });
      }
      expect(app.get(EventsService).events.map((e) => e.event)).toEqual([
        'conversation.agent_replied',
      ]);
    });

    it('postWebhookEvent: an authentic body that is not an event goes to onInvalid, answered 200', async () => {
      const res = await postWebhookEvent(app.getHttpServer(), '{"event": 1', {
        secret,
        url: '/webhooks/smartsupp',
      });
      expect(res.status).toBe(200);
      const [dead] = app.get(EventsService).deadLetters;
      expect(dead.rawBody.toString()).toBe('{"event": 1');
      expect(typeof dead.failure.message).toBe('string');
    });

    it('supertest: signWebhookBody over the exact bytes (pretty-printed)', async () => {
      const body = JSON.stringify(webhookFixtures['conversation.closed'](), null, 2);
      await request(app.getHttpServer())
        .post('/webhooks/smartsupp')
        .set('content-type', 'application/json')
        .set('x-smartsupp-hmac', await signWebhookBody(body, secret))
        .send(body)
        .expect(200, { ok: true });
      await request(app.getHttpServer())
        .post('/webhooks/smartsupp')
        .set('x-smartsupp-hmac', await signWebhookBody(body, 'another-secret'))
        .send(body)
        .expect(401);
      expect(app.get(EventsService).events.map((e) => e.event)).toEqual([
        'conversation.closed',
      ]);
    });

    it("leaves the app's routes to Nest", async () => {
      const res = await postConversation(app.getHttpServer(), {}, { url: '/' });
      expect(res.status).toBe(404); // Nest's: / answers GET only
      await request(app.getHttpServer()).get('/').expect(200, 'Hello World!');
    });
  });

  it('overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS) replaces the options whole', async () => {
    const onEvent = jest.fn();
    const options: SmartsuppWebhookModuleOptions = {
      path: '/webhooks/smartsupp',
      secret: 'other-webhook-secret-0123',
      onEvent,
    };
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS)
      .useValue(options)
      .compile();
    const app = moduleFixture.createNestApplication();
    await app.init();
    try {
      const event = webhookFixtures['conversation.opened']();
      const res = await postWebhookEvent(app.getHttpServer(), event, {
        secret: 'other-webhook-secret-0123',
        url: '/webhooks/smartsupp',
      });
      expect(res.status).toBe(200);
      expect(onEvent).toHaveBeenCalledTimes(1);
      expect(app.get(EventsService).events).toEqual([]);
    } finally {
      await app.close();
    }
  });

  describe('other targets', () => {
    const event = webhookFixtures['conversation.contact_replied']();
    let received: WebhookEvent[];
    const options = () => ({
      secret,
      onEvent: (e: WebhookEvent) => void received.push(e),
    });

    beforeEach(() => {
      received = [];
    });

    it('an Express app', async () => {
      const app = express();
      app.use('/webhooks/smartsupp', smartsuppWebhook(options()));
      const res = await postWebhookEvent(app, event, {
        secret,
        url: '/webhooks/smartsupp',
      });
      expect(res.status).toBe(200);
      expect(received.map((e) => e.event)).toEqual(['conversation.contact_replied']);
    });

    it('an http.Server, started and closed by postWebhookEvent', async () => {
      const server = createServer(createSmartsuppWebhookListener(options()));
      const res = await postWebhookEvent(server, event, { secret });
      expect(res.status).toBe(200);
      expect(server.listening).toBe(false);
      expect(received).toHaveLength(1);
    });

    it('an http.Server that already listens, and its URL', async () => {
      const server: Server = createServer(createSmartsuppWebhookListener(options()));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        expect((await postWebhookEvent(server, event, { secret })).status).toBe(200);
        expect(server.listening).toBe(true);
        const url = `http://127.0.0.1:${port}/`;
        expect((await postWebhookEvent(url, event, { secret })).status).toBe(200);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      expect(received).toHaveLength(2);
    });

    it("a Node listener ({ as: 'node' })", async () => {
      const listener = createSmartsuppWebhookListener(options());
      const res = await postWebhookEvent(listener, event, { secret, as: 'node' });
      expect(res.status).toBe(200);
      expect(received).toHaveLength(1);
    });

    it('a Fetch handler', async () => {
      const handler = createSmartsuppWebhookFetchHandler(options());
      const res = await postWebhookEvent(handler, event, { secret });
      expect(res.status).toBe(200);
      expect(received).toHaveLength(1);
    });

    it('postConversation to an Express app', async () => {
      const app = express();
      app.post('/hooks/smartsupp', express.json(), (req, res) => {
        res.json({ accountId: req.body.accountId });
      });
      const res = await postConversation(app, fixtures.documentedExample(), {
        url: '/hooks/smartsupp',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accountId: 208 });
    });
  });
});
