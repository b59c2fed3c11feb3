import { connect } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import type { DecodeFailure, PostHookConversation } from 'smartsupp-hook'
import type { InvalidReply, ReceiveContext } from 'smartsupp-hook/node'
import { afterEach, describe, expect, it } from 'vitest'
import { documentedExample, documentedExampleBytes } from '../../support/payloads.js'
import { announceLargeBody } from './announce-large-body.js'
import { exampleBody } from './example-body.js'
import type { Running } from './listen.js'
import { rawPost } from './raw-post.js'
import { recorder } from './recorder.js'

/** Options every adapter takes, with the request type left open. */
export interface ContractOptions {
  onConversation(conversation: PostHookConversation, context: ReceiveContext<unknown>): Promise<void>
  onInvalid(
    failure: DecodeFailure,
    rawBody: Uint8Array,
    context: ReceiveContext<unknown>,
  ): InvalidReply | undefined | Promise<InvalidReply | undefined>
  onError(error: unknown, context: ReceiveContext<unknown>): void
  token?: string
  limit?: number
  timeoutMs?: number
}

/**
 * Records the work of each request: a start function hands `track` what the adapter's handler
 * returned (its promise), so a test can wait until every handler has finished.
 */
export interface WorkTracker {
  track(work: unknown): void
  /** How many handler calls returned a promise to wait for, so far. */
  readonly started: number
  /** Resolves once every tracked handler call has settled (never, if one hangs: the test times out). */
  idle(): Promise<void>
}

function workTracker(): WorkTracker {
  const pending = new Set<Promise<unknown>>()
  let started = 0
  return {
    track(work) {
      // Only a promise can be waited for: a handler that returns none is not counted, and fails the check.
      if (work instanceof Promise) {
        started++
        const p = work.finally(() => pending.delete(p))
        pending.add(p)
      }
    },
    get started() {
      return started
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
  }
}

/** Starts a real server whose receiver answers at `${origin}/hooks/smartsupp` (and below it). */
export type StartReceiver = (options: ContractOptions, tracker: WorkTracker) => Promise<Running>

const TOKEN = 'a-long-random-secret-0123456789'

/** The behaviour every adapter must show over real HTTP. */
export function describeReceiver(
  name: string,
  start: StartReceiver,
  /**
   * `br`: whether this adapter inflates br on this runtime (Fetch needs DecompressionStream('br'));
   * `ownsConnection`: whether it controls the socket (a Fetch handler does not: its host does);
   * `spoils`: the `x-contract-spoil` values the start function honours by reading the body (or
   * parsing it as a form) before the receiver gets it, which the receiver must answer 500.
   */
  features: {
    readonly br: boolean
    readonly ownsConnection: boolean
    readonly spoils?: readonly ('consumed' | 'form')[]
  } = { br: true, ownsConnection: true },
): void {
  const itWhenOwnsConnection = connectionCase(features.ownsConnection)
  describe(`${name}: receiver contract over real HTTP`, () => {
    let running: Running | null = null
    let tracker = workTracker()
    afterEach(async () => {
      await running?.close()
      running = null
    })
    const boot = async (extra: { token?: string; limit?: number; timeoutMs?: number } = {}) => {
      const r = recorder()
      tracker = workTracker()
      running = await start({ ...r.options, ...extra }, tracker)
      return { r, url: `${running.origin}/hooks/smartsupp` }
    }

    it('decodes the documented example and calls onConversation exactly once', async () => {
      const { r, url } = await boot()
      const before = Date.now()
      const res = await fetch(url, { method: 'POST', body: exampleBody })
      const after = Date.now()
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await res.json()).toEqual({ ok: true })
      expect(r.conversations).toHaveLength(1)
      const c = r.conversations[0] as PostHookConversation
      expect(c.id).toBe('55039')
      expect(c.visitor?.name).toBe('Dusan Kmet')
      expect(c.raw).toEqual(documentedExample())
      // context.receivedAt: when the request reached the handler, between sending and the answer.
      const receivedAt = r.contexts[0]?.receivedAt
      expect(receivedAt).toBeInstanceOf(Date)
      expect(receivedAt?.getTime()).toBeGreaterThanOrEqual(before)
      expect(receivedAt?.getTime()).toBeLessThanOrEqual(after)
      expect(r.invalid).toHaveLength(0)
      expect(r.errors).toHaveLength(0)
    })

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', null])(
      'parses JSON whatever the Content-Type says (%s)',
      async (type) => {
        const { r, url } = await boot()
        const res = await rawPost(url, [exampleBody], {
          length: documentedExampleBytes.length,
          headers: type === null ? {} : { 'content-type': type },
        })
        expect(res?.status).toBe(200)
        expect(r.conversations.map((c) => c.id)).toEqual(['55039'])
      },
    )

    it('answers 400 { error, issues } to invalid JSON and hands onInvalid the exact raw bytes', async () => {
      const { r, url } = await boot()
      const bytes = new Uint8Array([...new TextEncoder().encode('{"accountId": 208,\n  oops'), 0xff, 0xfe])
      const res = await fetch(url, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: string; issues: { code: string }[] }
      expect(body.error).toMatch(/Not a valid Smartsupp conversation/)
      expect(body.issues[0]?.code).toBe('invalid_json')
      expect(r.invalid).toHaveLength(1)
      expect(r.invalid[0]?.rawBody).toEqual(bytes)
      expect(r.invalid[0]?.context.rawBodySource).toBe('bytes')
      expect(r.invalid[0]?.context.rawBodyNote).toBeNull()
      expect(r.conversations).toHaveLength(0)
    })

    it('answers 400 with the path of each issue for JSON that is not a conversation', async () => {
      const { r, url } = await boot()
      const text = JSON.stringify({ ...documentedExample(), accountId: 'x' }, null, 3)
      const res = await fetch(url, { method: 'POST', body: text })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { issues: { path: string }[] }
      expect(body.issues.map((i) => i.path)).toContain('accountId')
      expect(new TextDecoder().decode(r.invalid[0]?.rawBody)).toBe(text)
    })

    it('lets onInvalid choose the answer (200 once the dead letter is stored)', async () => {
      const r = recorder()
      running = await start(
        {
          ...r.options,
          onInvalid: (failure, rawBody, context) => {
            r.options.onInvalid(failure, rawBody, context)
            return { status: 202, body: { stored: true } }
          },
        } as ContractOptions,
        tracker,
      )
      const res = await fetch(`${running.origin}/hooks/smartsupp`, { method: 'POST', body: '[]' })
      expect(res.status).toBe(202)
      expect(await res.json()).toEqual({ stored: true })
      expect(r.invalid).toHaveLength(1)
    })

    it('accepts the token as ?token= or as a path segment', async () => {
      const { r, url } = await boot({ token: TOKEN })
      const byQuery = await fetch(`${url}?token=${TOKEN}`, { method: 'POST', body: exampleBody })
      const byPath = await fetch(`${url}/${TOKEN}`, { method: 'POST', body: exampleBody })
      expect([byQuery.status, byPath.status]).toEqual([200, 200])
      expect(r.conversations).toHaveLength(2)
    })

    it.each([
      ['missing', ''],
      ['wrong', '?token=a-long-random-secret-0123456788'],
      ['a prefix', '?token=a-long-random-secret'],
      ['longer', `?token=${TOKEN}x`],
      ['in another parameter', `?secret=${TOKEN}`],
    ])('answers 401 to a %s token and calls nothing', async (_, suffix) => {
      const { r, url } = await boot({ token: TOKEN })
      const res = await fetch(`${url}${suffix}`, { method: 'POST', body: exampleBody })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: 'Unauthorized: missing or wrong token' })
      expect([r.conversations.length, r.invalid.length, r.errors.length]).toEqual([0, 0, 0])
    })

    it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405 and Allow: POST', async (method) => {
      const { r, url } = await boot()
      const res = await fetch(url, { method, ...(method === 'GET' ? {} : { body: exampleBody }) })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
      expect(r.conversations).toHaveLength(0)
    })

    it('answers 413 to a declared oversize body without reading it, and the next request still works', async () => {
      const { r, url } = await boot({ limit: 4096 })
      const big = new Uint8Array(64 * 1024).fill(0x20)
      const res = await rawPost(url, [big.subarray(0, 1024)], { length: big.length })
      expect(res?.status).toBe(413)
      expect(res?.headers.connection).toBe('close')
      const next = await fetch(url, { method: 'POST', body: exampleBody })
      expect(next.status).toBe(200)
      expect(r.conversations).toHaveLength(1)
      expect(r.invalid).toHaveLength(0)
    })

    it('answers 413 to a chunked body once it passes the limit, and the next request still works', async () => {
      const { r, url } = await boot({ limit: 4096 })
      const chunk = new Uint8Array(1024).fill(0x20)
      const res = await rawPost(
        url,
        Array.from({ length: 64 }, () => chunk),
      )
      expect(res?.status).toBe(413)
      expect(res?.headers.connection).toBe('close')
      const next = await fetch(url, { method: 'POST', body: exampleBody })
      expect(next.status).toBe(200)
      expect(r.conversations).toHaveLength(1)
      expect(r.invalid).toHaveLength(0)
    })

    itWhenOwnsConnection('closes the socket after a 413 to a chunked body that is still coming', async () => {
      const { r, url } = await boot({ limit: 4096 })
      const { hostname, port, pathname } = new URL(url)
      const chunk = `400\r\n${' '.repeat(1024)}\r\n`
      const seen = await new Promise<{ text: string; closed: boolean }>((resolve) => {
        let text = ''
        let written = 0
        const socket = connect(Number(port), hostname, () => {
          socket.write(`POST ${pathname} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`)
          // 64 KiB, never the last chunk: only the server can end this request.
          const pump = () => {
            if (socket.destroyed || written >= 64) return
            written++
            socket.write(chunk, () => setImmediate(pump))
          }
          pump()
        })
        socket.setEncoding('utf8')
        socket.on('data', (part: string) => {
          text += part
        })
        // The server closes it: the test would time out if the socket stayed open.
        socket.on('close', () => resolve({ text, closed: true }))
        socket.on('error', () => {})
      })
      expect(seen.text).toMatch(/^HTTP\/1\.1 413 /)
      expect(seen.text.toLowerCase()).toContain('connection: close')
      expect(seen.closed).toBe(true)
      expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
    })

    it('survives a client that aborts mid-body: nothing is called, the next request works', async () => {
      const { r, url } = await boot()
      const half = documentedExampleBytes.subarray(0, 200)
      const res = await rawPost(url, [half, half], { length: documentedExampleBytes.length, abortAfter: 1 })
      expect(res).toBeNull()
      // The handler of the aborted request has finished its work (it did not hang on the read).
      expect(tracker.started).toBe(1)
      await tracker.idle()
      const next = await fetch(url, { method: 'POST', body: exampleBody })
      expect(next.status).toBe(200)
      expect(r.conversations).toHaveLength(1)
      expect([r.invalid.length, r.errors.length]).toEqual([0, 0])
    })

    it('processes 200 concurrent deliveries each exactly once', async () => {
      const { r, url } = await boot()
      const ids = Array.from({ length: 200 }, (_, i) => 100_000 + i)
      const statuses = await Promise.all(
        ids.map(async (id) => {
          const payload = documentedExample()
          payload.channel.id = id
          const res = await fetch(url, { method: 'POST', body: JSON.stringify(payload) })
          return res.status
        }),
      )
      expect(statuses.every((s) => s === 200)).toBe(true)
      const seen = r.conversations.map((c) => Number(c.id)).sort((a, b) => a - b)
      expect(seen).toEqual(ids)
    })

    it.each([99, 200.5, 600, '202'])(
      'answers 500 and calls onError when onInvalid returns { status: %o }, echoing no error text',
      async (status) => {
        const r = recorder()
        running = await start(
          {
            ...r.options,
            onInvalid: () => ({ status }) as never,
          } as ContractOptions,
          tracker,
        )
        const res = await fetch(`${running.origin}/hooks/smartsupp`, { method: 'POST', body: '[]' })
        expect(res.status).toBe(500)
        expect(res.headers.get('content-type')).toMatch(/^application\/json/)
        const text = await res.text()
        expect(text).not.toMatch(/TypeError|onInvalid returned/)
        expect(r.errors).toHaveLength(1)
        expect(String(r.errors[0]?.error)).toMatch(
          /onInvalid returned \{ status: .*integer HTTP status from 200 to 599/,
        )
        expect(new TextDecoder().decode(r.errors[0]?.rawBody)).toBe('[]')
      },
    )

    it('answers 500 when onConversation throws, and onError gets the exact raw body', async () => {
      const { r, url } = await boot()
      r.fail = new Error('database down')
      const res = await fetch(url, { method: 'POST', body: exampleBody })
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ error: 'The receiver failed while handling this conversation' })
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toBe(r.fail)
      expect(Buffer.from(r.errors[0]?.rawBody ?? []).equals(documentedExampleBytes)).toBe(true)
    })

    it('answers 503 after timeoutMs when onConversation never settles; onError gets the raw body, the next request works', async () => {
      const { r, url } = await boot({ timeoutMs: 150 })
      r.hang = true
      const res = await fetch(url, { method: 'POST', body: exampleBody })
      expect(res.status).toBe(503)
      const body = (await res.json()) as { error: string }
      expect(Object.keys(body)).toEqual(['error'])
      expect(body.error).toMatch(/timeoutMs/)
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]?.error).toMatchObject({ name: 'SmartsuppTimeoutError' })
      expect(Buffer.from(r.errors[0]?.rawBody ?? []).equals(documentedExampleBytes)).toBe(true)
      r.hang = false
      expect((await fetch(url, { method: 'POST', body: exampleBody })).status).toBe(200)
      expect(r.conversations).toHaveLength(1)
    })

    it('answers 503 after timeoutMs when onInvalid never settles, and onError gets the raw body', async () => {
      const { r, url } = await boot({ timeoutMs: 150 })
      r.hang = true
      const res = await fetch(url, { method: 'POST', body: '{"id":' })
      expect(res.status).toBe(503)
      expect(r.invalid).toHaveLength(1)
      expect(r.errors).toHaveLength(1)
      expect(new TextDecoder().decode(r.errors[0]?.rawBody)).toBe('{"id":')
    })

    it.each(['gzip', 'deflate', 'br'] as const)(
      'inflates a %s body (Content-Encoding) and decodes it',
      async (coding) => {
        const { r, url } = await boot()
        const res = await rawPost(url, [compress(coding, documentedExampleBytes)], {
          headers: { 'content-encoding': coding },
        })
        if (coding === 'br' && !features.br) {
          // This runtime's DecompressionStream has no br: refused as any unsupported coding.
          expect(res?.status).toBe(415)
          expect(r.errors).toHaveLength(1)
          expect(String(r.errors[0]?.error)).toMatch(/answered 415.*DecompressionStream.*Fix: /)
          return
        }
        expect(res?.status).toBe(200)
        expect(r.conversations.map((c) => c.id)).toEqual(['55039'])
        expect(Buffer.from(r.contexts[0]?.rawBody ?? []).equals(documentedExampleBytes)).toBe(true)
      },
    )

    it('applies limit to the inflated size: 8 KiB of gzip that inflates to 8 MiB answers 413', async () => {
      const { r, url } = await boot({ limit: 65_536 })
      const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20))
      expect(bomb.length).toBeLessThan(65_536)
      const res = await rawPost(url, [bomb], { headers: { 'content-encoding': 'gzip' } })
      expect(res?.status).toBe(413)
      expect(Object.keys(JSON.parse(res?.text ?? '{}'))).toEqual(['error'])
      expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
    })

    it('hands a body that is not the gzip it claims to onInvalid with its exact bytes (400)', async () => {
      const { r, url } = await boot()
      const res = await rawPost(url, [exampleBody], { headers: { 'content-encoding': 'gzip' } })
      expect(res?.status).toBe(400)
      expect(JSON.parse(res?.text ?? '{}')).toMatchObject({ error: expect.stringMatching(/gzip/) })
      expect(r.invalid).toHaveLength(1)
      expect(Buffer.from(r.invalid[0]?.rawBody ?? []).equals(documentedExampleBytes)).toBe(true)
    })

    it.each(['compress', 'zstd', 'gzip, br'])(
      'answers 415 { error } to Content-Encoding: %s, unread, and tells only onError, once',
      async (coding) => {
        const { r, url } = await boot()
        const res = await rawPost(url, [exampleBody], {
          length: documentedExampleBytes.length,
          headers: { 'content-encoding': coding },
        })
        expect(res?.status).toBe(415)
        expect(Object.keys(JSON.parse(res?.text ?? '{}'))).toEqual(['error'])
        expect([r.conversations.length, r.invalid.length, r.errors.length]).toEqual([0, 0, 1])
        expect(r.errors[0]?.error).toMatchObject({
          name: 'SmartsuppRefusedError',
          status: 415,
          reason: 'unsupported_encoding',
          bodyBytes: documentedExampleBytes.length,
        })
        expect(String(r.errors[0]?.error)).toContain(JSON.stringify(coding))
      },
    )

    describe('nothing invisible: every refusal that loses the body reaches onError once', () => {
      it('a declared Content-Length over limit: 413 naming the limit; onError gets the size, the limit and the fix', async () => {
        const { r, url } = await boot({ limit: 4096 })
        const res = await rawPost(url, [new Uint8Array(1024).fill(0x20)], { length: 2_400_000 })
        expect(res?.status).toBe(413)
        expect(JSON.parse(res?.text ?? '{}')).toEqual({
          error: "Payload too large: the limit is 4096 bytes (this receiver's limit option)",
        })
        expect(r.errors).toHaveLength(1)
        const error = r.errors[0]?.error
        expect(error).toMatchObject({
          name: 'SmartsuppRefusedError',
          status: 413,
          reason: 'too_large',
          refusedBy: 'receiver',
          bodyBytes: 2_400_000,
          limitBytes: 4096,
        })
        expect(String(error)).toMatch(
          /answered 413.*2400000 bytes \(2\.3 MiB\).*limit of 4096 bytes \(option limit\).*Fix: .*limit: 4 \* 1024 \* 1024/,
        )
        expect(r.errors[0]?.rawBody).toEqual(new Uint8Array(0))
        expect(r.errors[0]?.source).toBe('none')
        expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
      })

      it('a chunked body that passes limit while read: 413, onError told how much was read', async () => {
        const { r, url } = await boot({ limit: 4096 })
        const chunk = new Uint8Array(1024).fill(0x20)
        const res = await rawPost(
          url,
          Array.from({ length: 16 }, () => chunk),
        )
        expect(res?.status).toBe(413)
        expect(r.errors).toHaveLength(1)
        const error = r.errors[0]?.error as { bodyBytes: number; limitBytes: number }
        expect(error).toMatchObject({ status: 413, reason: 'too_large', limitBytes: 4096 })
        expect(error.bodyBytes).toBeGreaterThan(4096)
        expect(String(error)).toMatch(/reading stopped after \d+ bytes/)
      })

      it('a gzip body that inflates past limit: 413, onError told the bytes sent', async () => {
        const { r, url } = await boot({ limit: 65_536 })
        const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20))
        const res = await rawPost(url, [bomb], { headers: { 'content-encoding': 'gzip' } })
        expect(res?.status).toBe(413)
        expect(r.errors).toHaveLength(1)
        expect(r.errors[0]?.error).toMatchObject({ status: 413, bodyBytes: bomb.length, limitBytes: 65_536 })
        expect(String(r.errors[0]?.error)).toMatch(/gzip body .* inflates to more than that/)
      })

      it('a callback past timeoutMs: 503, onError gets the status, the size and the fix', async () => {
        const { r, url } = await boot({ timeoutMs: 150 })
        r.hang = true
        const res = await fetch(url, { method: 'POST', body: exampleBody })
        expect(res.status).toBe(503)
        r.hang = false
        expect(r.errors).toHaveLength(1)
        expect(r.errors[0]?.error).toMatchObject({
          name: 'SmartsuppTimeoutError',
          status: 503,
          bodyBytes: documentedExampleBytes.length,
        })
        expect(String(r.errors[0]?.error)).toMatch(/answered 503.*Fix: /)
      })

      it('401 and 405 reach no callback at all, onError included', async () => {
        const { r, url } = await boot({ token: TOKEN })
        expect((await fetch(url, { method: 'POST', body: exampleBody })).status).toBe(401)
        expect((await fetch(`${url}?token=${TOKEN}`, { method: 'PUT', body: exampleBody })).status).toBe(405)
        expect(r.errors).toHaveLength(0)
      })
    })

    it('answers every error as JSON { error, issues? }, with no stack, local path or internal text', async () => {
      const { r, url } = await boot({ token: TOKEN, limit: 100_000 })
      const withToken = `${url}?token=${TOKEN}`
      const post = (body: BodyInit, headers: Record<string, string> = {}) =>
        fetch(withToken, { method: 'POST', body, headers })
      const responses = [
        await fetch(withToken, { method: 'PUT', body: exampleBody }),
        await fetch(url, { method: 'POST', body: exampleBody }),
        await post(new Uint8Array(200_000)),
        await post(exampleBody, { 'content-encoding': 'zstd' }),
        await post('{"id": 1,'),
        await post('[]'),
      ]
      r.fail = new Error(`secret internal detail at ${process.cwd()}/db.js`)
      responses.push(await post(exampleBody))
      r.fail = null
      // Bodies the app's own middleware read first: the fix is for the app (onError), not the sender.
      const spoils = features.spoils ?? []
      for (const spoil of spoils) {
        const type = spoil === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'
        responses.push(await post(exampleBody, { 'x-contract-spoil': spoil, 'content-type': type }))
      }
      r.hang = true
      // timeoutMs is the default here, so only the shape of a 503 is not covered by this test.
      const statuses = responses.map((res) => res.status)
      expect(statuses).toEqual([405, 401, 413, 415, 400, 400, 500, ...spoils.map(() => 500)])
      for (const res of responses) {
        expect(res.headers.get('content-type')).toMatch(/^application\/json/)
        const text = await res.text()
        const body = JSON.parse(text) as Record<string, unknown>
        expect(typeof body.error).toBe('string')
        expect(Object.keys(body).every((key) => key === 'error' || key === 'issues')).toBe(true)
        expect(text).not.toMatch(/\n\s+at |node_modules|secret internal|<html|<pre/i)
        expect(text).not.toMatch(/smartsupp-hook:|\bmount|middleware|bodyUsed|urlencoded|request\.clone/i)
        expect(text).not.toContain(process.cwd())
      }
      // onError (the 413, the 415, the failing onConversation, one per spoiled body) is told the fix.
      expect(r.errors.map((e) => (e.error as { status?: number }).status ?? 500)).toEqual([
        413,
        415,
        500,
        ...spoils.map(() => 500),
      ])
      for (const { error } of r.errors.slice(3)) {
        expect(String(error)).toMatch(/Mount smartsuppHook\(\) before|pass request\.clone\(\)/)
      }
      r.hang = false
    })

    itWhenOwnsConnection(
      'closes the connection after a 401 to a request whose body is still coming',
      async () => {
        const { r, url } = await boot({ token: TOKEN })
        const chunk = new Uint8Array(64 * 1024).fill(0x20)
        const res = await rawPost(url, [chunk, chunk, chunk, chunk], { length: 4 * chunk.length })
        expect(res?.status).toBe(401)
        expect(res?.headers.connection).toBe('close')
        expect(JSON.parse(res?.text ?? '{}')).toEqual({ error: 'Unauthorized: missing or wrong token' })
        expect([r.conversations.length, r.invalid.length]).toEqual([0, 0])
      },
    )

    itWhenOwnsConnection(
      'answers a 401 to a client announcing 50 MiB and sending only its head, then closes the socket',
      async () => {
        const { r, url } = await boot({ token: TOKEN })
        const seen = await announceLargeBody(url)
        expect(seen.text).toMatch(/^HTTP\/1\.1 401 /)
        expect(seen.text.toLowerCase()).toContain('connection: close')
        expect(seen.closed).toBe(true)
        expect([r.conversations.length, r.invalid.length, r.errors.length]).toEqual([0, 0, 0])
      },
    )
  })
}

function compress(coding: 'gzip' | 'deflate' | 'br', bytes: Uint8Array): Buffer {
  if (coding === 'gzip') return gzipSync(bytes)
  if (coding === 'deflate') return deflateSync(bytes)
  return brotliCompressSync(bytes)
}

/**
 * `it` for a case about the socket, registered only for an adapter that owns its connection (a
 * Fetch handler's host owns it): not registered rather than skipped, so a run's skip count stays
 * for tests that could not run.
 */
function connectionCase(ownsConnection: boolean): (name: string, fn: () => Promise<void>) => void {
  return ownsConnection ? (name, fn) => it(name, fn) : () => undefined
}
