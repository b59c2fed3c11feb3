import { gzipSync } from 'node:zlib'
import { type DecodeFailure, signWebhookBody, type WebhookEvent, webhookEventKey } from 'smartsupp-hook'
import type { InvalidReply, ReceiveContext } from 'smartsupp-hook/node'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { announceLargeBody } from './announce-large-body.js'
import type { Running } from './listen.js'
import { rawPost } from './raw-post.js'

/** The secret every webhook test receiver is created with. */
export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef'

/** Options every webhook adapter takes, with the request type left open. */
export interface WebhookContractOptions {
  secret: string | string[]
  appId?: string
  maxEventAgeMs?: number
  limit?: number
  timeoutMs?: number
  onEvent(event: WebhookEvent, context: ReceiveContext<unknown>): Promise<void>
  onInvalid(
    failure: DecodeFailure,
    rawBody: Uint8Array,
    context: ReceiveContext<unknown>,
  ): InvalidReply | undefined
  onError(error: unknown, context: ReceiveContext<unknown>): void
}

/** Starts a real server whose webhook receiver answers POSTs at `${origin}/hooks/smartsupp`. */
export type StartWebhookReceiver = (options: WebhookContractOptions) => Promise<Running>

/** Records every callback of a webhook receiver. */
export function webhookRecorder() {
  const never = new Promise<never>(() => {})
  const r = {
    events: [] as WebhookEvent[],
    contexts: [] as ReceiveContext<unknown>[],
    invalid: [] as { failure: DecodeFailure; rawBody: Uint8Array }[],
    errors: [] as { error: unknown; rawBody: Uint8Array; source: string }[],
    fail: null as Error | null,
    hang: false,
    get calls() {
      return r.events.length + r.invalid.length + r.errors.length
    },
    options: {
      secret: WEBHOOK_SECRET as string | string[],
      async onEvent(event: WebhookEvent, context: ReceiveContext<unknown>) {
        if (r.hang) await never
        // Let other requests interleave, as a real handler awaiting a database would.
        await new Promise((resolve) => setImmediate(resolve))
        if (r.fail !== null) throw r.fail
        r.events.push(event)
        r.contexts.push(context)
      },
      onInvalid(failure: DecodeFailure, rawBody: Uint8Array) {
        r.invalid.push({ failure, rawBody: Uint8Array.from(rawBody) })
        return undefined
      },
      onError(error: unknown, context: ReceiveContext<unknown>) {
        r.errors.push({ error, rawBody: Uint8Array.from(context.rawBody), source: context.rawBodySource })
      },
    },
  }
  return r
}

/** Posts `body` signed like Smartsupp (with `secret`, or the header given). */
export async function postSigned(
  url: string,
  body: string | Uint8Array<ArrayBuffer>,
  options: {
    secret?: string
    signature?: string | null
    headers?: Record<string, string>
    signOver?: string
  } = {},
): Promise<Response> {
  const signature =
    options.signature === undefined
      ? await signWebhookBody(options.signOver ?? body, options.secret ?? WEBHOOK_SECRET)
      : options.signature
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers }
  if (signature !== null) headers['x-smartsupp-hmac'] = signature
  return fetch(url, { method: 'POST', body, headers })
}

const fixtureBody = (name: keyof typeof webhookFixtures = 'conversation.contact_replied') =>
  JSON.stringify(webhookFixtures[name]())

/** The behaviour every webhook adapter must show over real HTTP. */
export function describeWebhookReceiver(
  name: string,
  start: StartWebhookReceiver,
  features: { readonly ownsConnection: boolean } = { ownsConnection: true },
): void {
  const itWhenOwnsConnection = connectionCase(features.ownsConnection)
  describe(`${name}: webhook receiver over real HTTP`, () => {
    let running: Running | null = null
    afterEach(async () => {
      await running?.close()
      running = null
    })
    const boot = async (extra: Partial<WebhookContractOptions> = {}) => {
      const r = webhookRecorder()
      running = await start({ ...r.options, ...extra })
      return { r, url: `${running.origin}/hooks/smartsupp` }
    }

    it('hands a signed delivery to onEvent exactly once, decoded, and answers 200 { ok: true }', async () => {
      const { r, url } = await boot()
      const body = fixtureBody()
      const res = await postSigned(url, body)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ok: true })
      expect(r.events).toHaveLength(1)
      const event = r.events[0] as WebhookEvent
      expect(event.known && event.event).toBe('conversation.contact_replied')
      expect(event.raw).toEqual(JSON.parse(body))
      expect(r.contexts[0]?.rawBodySource).toBe('bytes')
      expect(Buffer.from(r.contexts[0]?.rawBody ?? []).toString()).toBe(body)
      expect(r.invalid).toHaveLength(0)
      expect(r.errors).toHaveLength(0)
    })

    it.each([
      ['missing', null],
      ['empty', ''],
      ['not hex', 'z'.repeat(64)],
      ['truncated', 'ab'.repeat(31)],
      ['wrong', '0'.repeat(64)],
    ] as const)('answers 401 to a %s signature and calls nothing', async (_, signature) => {
      const { r, url } = await boot()
      const res = await postSigned(url, fixtureBody(), { signature })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: 'Unauthorized: missing or wrong X-Smartsupp-Hmac signature' })
      expect(r.calls).toBe(0)
    })

    it('answers 401 to a body signed with another secret, or a signature over other bytes, and calls nothing', async () => {
      const { r, url } = await boot()
      expect((await postSigned(url, fixtureBody(), { secret: 'another-secret' })).status).toBe(401)
      const tampered = fixtureBody().replace('Jana', 'Jane')
      expect((await postSigned(url, tampered, { signOver: fixtureBody() })).status).toBe(401)
      expect(r.calls).toBe(0)
    })

    it('accepts any of several secrets while rotating, and an upper-case hex signature', async () => {
      const { r, url } = await boot({ secret: ['new-secret-abcdef', WEBHOOK_SECRET] })
      const body = fixtureBody()
      expect((await postSigned(url, body, { secret: 'new-secret-abcdef' })).status).toBe(200)
      const upper = (await signWebhookBody(body, WEBHOOK_SECRET)).toUpperCase()
      expect((await postSigned(url, body, { signature: upper })).status).toBe(200)
      expect(r.events).toHaveLength(2)
    })

    it('answers 401 to an authentic event of another app_id when appId is pinned, and calls nothing', async () => {
      const { r, url } = await boot({ appId: 'ap-other-app' })
      const res = await postSigned(url, fixtureBody())
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({
        error: 'Unauthorized: this receiver accepts events of another app_id (option appId)',
      })
      expect(r.calls).toBe(0)
      const own = await boot({ appId: 'ap40qUkYi' })
      expect((await postSigned(own.url, fixtureBody())).status).toBe(200)
      expect(own.r.events).toHaveLength(1)
    })

    it.each(['{"event":', '{"event":42,"data":{}}', '[]', ''])(
      'hands an authentic but undecodable body (%j) to onInvalid with its exact bytes, 400 { error, issues }',
      async (body) => {
        const { r, url } = await boot()
        const res = await postSigned(url, body)
        expect(res.status).toBe(400)
        const json = (await res.json()) as { error: string; issues: unknown[] }
        expect(Object.keys(json).sort()).toEqual(['error', 'issues'])
        expect(json.issues.length).toBeGreaterThan(0)
        expect(r.invalid).toHaveLength(1)
        expect(Buffer.from(r.invalid[0]?.rawBody ?? []).toString()).toBe(body)
        expect(r.events).toHaveLength(0)
      },
    )

    it('answers 401, not 400, to an undecodable body with a wrong signature (signature first)', async () => {
      const { r, url } = await boot()
      expect((await postSigned(url, '{"event":', { signature: 'a'.repeat(64) })).status).toBe(401)
      expect(r.calls).toBe(0)
    })

    it('hands an unknown event name to onEvent as known: false, never a 4xx', async () => {
      const { r, url } = await boot()
      const res = await postSigned(url, fixtureBody('unknown'))
      expect(res.status).toBe(200)
      expect(r.events).toHaveLength(1)
      expect(r.events[0]?.known).toBe(false)
      expect(r.events[0]?.event).toBe(webhookFixtures.unknown().event)
    })

    it('answers 413 to a declared oversize body and to a chunked one once it passes limit; the next request works', async () => {
      const { r, url } = await boot({ limit: 8192 })
      const big = JSON.stringify({ ...webhookFixtures['conversation.opened'](), padding: 'x'.repeat(16_384) })
      const signature = await signWebhookBody(big, WEBHOOK_SECRET)
      const declared = await rawPost(url, [big], {
        length: Buffer.byteLength(big),
        headers: { 'x-smartsupp-hmac': signature },
      })
      expect(declared?.status).toBe(413)
      const chunks = Array.from({ length: 16 }, (_, i) => big.slice(i * 2048, (i + 1) * 2048)).filter(
        (c) => c !== '',
      )
      const chunked = await rawPost(url, chunks, { headers: { 'x-smartsupp-hmac': signature } })
      expect(chunked?.status).toBe(413)
      expect(JSON.parse(chunked?.text ?? '{}')).toEqual({
        error: "Payload too large: the limit is 8192 bytes (this receiver's limit option)",
      })
      // Neither reached onEvent or onInvalid (nothing was verified); onError heard of each, once.
      expect(r.events.length + r.invalid.length).toBe(0)
      expect(r.errors.map((e) => e.error)).toEqual([
        expect.objectContaining({
          name: 'SmartsuppRefusedError',
          status: 413,
          bodyBytes: Buffer.byteLength(big),
        }),
        expect.objectContaining({ name: 'SmartsuppRefusedError', status: 413, limitBytes: 8192 }),
      ])
      expect(String(r.errors[0]?.error)).toMatch(
        /webhook delivery was answered 413.*signature could not be checked.*Fix: .*raise the limit/,
      )
      expect(r.errors.map((e) => [e.rawBody.length, e.source])).toEqual([
        [0, 'none'],
        [0, 'none'],
      ])
      expect((await postSigned(url, fixtureBody())).status).toBe(200)
    })

    it('answers 415 to a Content-Encoding it does not inflate, unread, and tells only onError, once', async () => {
      const { r, url } = await boot()
      const body = fixtureBody()
      const res = await rawPost(url, [body], {
        headers: {
          'x-smartsupp-hmac': await signWebhookBody(body, WEBHOOK_SECRET),
          'content-encoding': 'zstd',
        },
      })
      expect(res?.status).toBe(415)
      expect(r.events.length + r.invalid.length).toBe(0)
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toMatchObject({ name: 'SmartsuppRefusedError', status: 415 })
    })

    it('applies the appId pin to an authentic body that did not decode when its app_id names another app', async () => {
      const { r, url } = await boot({ appId: 'ap40qUkYi' })
      // Another app's broken event is refused as its decoded events are, not kept.
      expect((await postSigned(url, '{"event":42,"app_id":"ap-other-app"}')).status).toBe(401)
      expect(r.calls).toBe(0)
      // This app's broken event, one that names no app (it cannot be shown to be another's) and a
      // body that is not even an object still reach onInvalid with their exact bytes.
      const kept = [
        '{"event":42,"app_id":"ap40qUkYi"}',
        '{"event":42,"data":{}}',
        '{"event":42,"app_id":7}',
        '{"event":',
      ]
      for (const body of kept) expect((await postSigned(url, body)).status).toBe(400)
      expect(r.invalid.map((i) => Buffer.from(i.rawBody).toString())).toEqual(kept)
    })

    it('maxEventAgeMs: an event older than the window gets 403, reaches only onError (with its exact bytes); a fresh one is handled', async () => {
      const { r, url } = await boot({ maxEventAgeMs: 60_000 })
      const old = JSON.stringify({
        ...webhookFixtures['conversation.closed'](),
        timestamp: '2020-08-08T07:53:18.825Z',
      })
      const res = await postSigned(url, old)
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual({
        error: 'Forbidden: the event is older than this receiver accepts (option maxEventAgeMs)',
      })
      expect(r.events.length + r.invalid.length).toBe(0)
      expect(r.errors).toHaveLength(1)
      const timestamp = new Date(JSON.parse(old).timestamp)
      expect(r.errors[0]?.error).toMatchObject({
        name: 'SmartsuppRefusedError',
        status: 403,
        reason: 'too_old',
        eventTimestamp: timestamp,
        bodyBytes: Buffer.byteLength(old),
      })
      expect(String(r.errors[0]?.error)).toMatch(/re-delivery keeps it.*legitimate late re-delivery.*Fix: /)
      expect(Buffer.from(r.errors[0]?.rawBody ?? []).toString()).toBe(old)
      const fresh = JSON.stringify({
        ...webhookFixtures['conversation.closed'](),
        timestamp: new Date().toISOString(),
      })
      expect((await postSigned(url, fresh)).status).toBe(200)
      // An undecodable body is judged by its timestamp when it has one it can read.
      expect((await postSigned(url, '{"event":42,"timestamp":"2020-08-08T07:53:18.825Z"}')).status).toBe(403)
      expect((await postSigned(url, '{"event":42}')).status).toBe(400)
      expect(r.events).toHaveLength(1)
      expect(r.errors).toHaveLength(2)
    })

    it('without maxEventAgeMs, an event years old is handled (the window is off by default)', async () => {
      const { r, url } = await boot()
      const old = JSON.stringify({
        ...webhookFixtures['conversation.closed'](),
        timestamp: '2020-08-08T07:53:18.825Z',
      })
      expect((await postSigned(url, old)).status).toBe(200)
      expect(r.events).toHaveLength(1)
    })

    it('answers 500 and calls onError with the exact raw body when onEvent throws (Smartsupp re-delivers)', async () => {
      const { r, url } = await boot()
      r.fail = new Error('database down')
      const body = fixtureBody()
      const res = await postSigned(url, body)
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ error: 'The receiver failed while handling this event' })
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toBe(r.fail)
      expect(Buffer.from(r.errors[0]?.rawBody ?? []).toString()).toBe(body)
    })

    it('answers 503 after timeoutMs when onEvent never settles, calls onError, and the next request works', async () => {
      const { r, url } = await boot({ timeoutMs: 150 })
      r.hang = true
      const res = await postSigned(url, fixtureBody())
      expect(res.status).toBe(503)
      expect(Object.keys((await res.json()) as object)).toEqual(['error'])
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toMatchObject({
        name: 'SmartsuppTimeoutError',
        status: 503,
        bodyBytes: Buffer.byteLength(fixtureBody()),
      })
      r.hang = false
      expect((await postSigned(url, fixtureBody())).status).toBe(200)
    })

    it('answers 405 with Allow: POST to other methods', async () => {
      const { r, url } = await boot()
      const res = await fetch(url, { method: 'PUT', body: fixtureBody() })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
      expect(r.calls).toBe(0)
    })

    it('verifies and decodes a gzip body over its inflated bytes', async () => {
      const { r, url } = await boot()
      const body = fixtureBody()
      const signature = await signWebhookBody(body, WEBHOOK_SECRET)
      const res = await fetch(url, {
        method: 'POST',
        body: gzipSync(body),
        headers: { 'content-encoding': 'gzip', 'x-smartsupp-hmac': signature },
      })
      expect(res.status).toBe(200)
      expect(r.events).toHaveLength(1)
    })

    itWhenOwnsConnection(
      'closes the connection after a 401 to an unsigned request whose body is still coming',
      async () => {
        const { r, url } = await boot()
        const chunk = new Uint8Array(64 * 1024).fill(0x20)
        const res = await rawPost(url, [chunk, chunk, chunk, chunk], { length: 4 * chunk.length })
        expect(res?.status).toBe(401)
        expect(res?.headers.connection).toBe('close')
        expect(r.calls).toBe(0)
      },
    )

    itWhenOwnsConnection(
      'answers 401 to an unsigned client announcing 50 MiB and sending only its head, then closes the socket',
      async () => {
        const { r, url } = await boot()
        const seen = await announceLargeBody(url)
        expect(seen.text).toMatch(/^HTTP\/1\.1 401 /)
        expect(seen.text.toLowerCase()).toContain('connection: close')
        expect(seen.closed).toBe(true)
        expect(r.calls).toBe(0)
      },
    )

    it('handles 500 concurrent signed deliveries each exactly once', async () => {
      const { r, url } = await boot()
      const bodies = Array.from({ length: 500 }, (_, i) => {
        const event = webhookFixtures['conversation.contact_replied']()
        const data = event.data as { message: { id: string } }
        data.message.id = `msg-${i}`
        return JSON.stringify(event)
      })
      const statuses = await Promise.all(bodies.map(async (body) => (await postSigned(url, body)).status))
      expect(statuses.filter((s) => s !== 200)).toEqual([])
      const keys = r.events.map((e) => webhookEventKey(e))
      expect(keys).toHaveLength(500)
      expect(new Set(keys).size).toBe(500)
      const ids = r.events.map((e) =>
        e.known && e.event === 'conversation.contact_replied' ? e.data.message?.id : null,
      )
      expect(ids.sort()).toEqual(bodies.map((_, i) => `msg-${i}`).sort())
    }, 30_000)
  })
}

/**
 * `it` for a case about the socket, registered only for an adapter that owns its connection (a
 * Fetch handler's host owns it): not registered rather than skipped, so a run's skip count stays
 * for tests that could not run.
 */
function connectionCase(ownsConnection: boolean): (name: string, fn: () => Promise<void>) => void {
  return ownsConnection ? (name, fn) => it(name, fn) : () => undefined
}
