import { signWebhookBody, type WebhookEvent } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { checkWebhookRequest } from '../../src/receive/check-webhook-request.js'
import { receiveReadWith } from '../../src/receive/receive-read.js'
import { receiveWebhook } from '../../src/receive/receive-webhook.js'
import type { ReceivedBody } from '../../src/receive/received-body.js'
import {
  resolveWebhookReceiveOptions,
  type WebhookReceiveOptions,
} from '../../src/receive/webhook-receive-options.js'

const SECRET = 'unit-webhook-secret'
const resolve = (options: Partial<WebhookReceiveOptions<string>> = {}) =>
  resolveWebhookReceiveOptions<string>({ secret: SECRET, onEvent: () => {}, ...options })
const body = JSON.stringify(webhookFixtures['conversation.opened']())
const bytes = new TextEncoder().encode(body)
const signedHead = async (signed: string | Uint8Array = body) => ({
  method: 'POST',
  url: '/webhooks',
  headers: { 'x-smartsupp-hmac': await signWebhookBody(signed, SECRET) },
  request: 'the request',
})

describe('resolveWebhookReceiveOptions', () => {
  it.each([
    [undefined, /options\.secret is undefined \(an unset environment variable\?\).*SMARTSUPP_WEBHOOK_SECRET/],
    ['', /options\.secret is empty/],
    [new Uint8Array(0), /options\.secret is empty/],
    [[], /options\.secret is an empty array/],
    [['ok-secret-0123456789', undefined], /options\.secret\[1\] is undefined/],
    [42, /options\.secret is not a string or bytes \(number\)/],
    ['   ', /options\.secret is only whitespace/],
    ['\n\t', /options\.secret is only whitespace/],
    ['undefined', /options\.secret is the text "undefined".*not a secret/],
    ['NULL', /options\.secret is the text "NULL".*not a secret/],
    ['YOUR_CLIENT_SECRET', /placeholder of Smartsupp's documentation/],
    [`${SECRET}\n`, /starts or ends with whitespace.*\.trim\(\)/],
    ['s', /options\.secret is 1 bytes long; a webhook secret must have at least 16/],
    ['fifteen-chars-x', /is 15 bytes long/],
    [new Uint8Array(15), /is 15 bytes long/],
    [[SECRET, 'old'], /options\.secret\[1\] is 3 bytes long/],
  ])('throws a TypeError naming the fix for secret %o', (secret, message) => {
    expect(() => resolve({ secret: secret as never })).toThrow(TypeError)
    expect(() => resolve({ secret: secret as never })).toThrow(message)
  })

  it('accepts secrets of 16 bytes and more, as strings or bytes, several while rotating', () => {
    expect(() => resolve({ secret: 'sixteen-chars-xx' })).not.toThrow()
    expect(() => resolve({ secret: new Uint8Array(16) })).not.toThrow()
    expect(() => resolve({ secret: ['1cc41027be86568febfe0121304a5e87f5e055ee', SECRET] })).not.toThrow()
  })

  it.each([0, -1, 1.5, Number.NaN, '60000'])('refuses maxEventAgeMs %o at creation', (maxEventAgeMs) => {
    expect(() => resolve({ maxEventAgeMs: maxEventAgeMs as never })).toThrow(TypeError)
    expect(() => resolve({ maxEventAgeMs: maxEventAgeMs as never })).toThrow(/options\.maxEventAgeMs/)
  })

  it('has no replay window by default; null is off too', () => {
    expect(resolve().maxEventAgeMs).toBeNull()
    expect(resolve({ maxEventAgeMs: null }).maxEventAgeMs).toBeNull()
    expect(resolve({ maxEventAgeMs: 86_400_000 }).maxEventAgeMs).toBe(86_400_000)
  })

  it('checks onEvent, appId, limit and timeoutMs at creation', () => {
    expect(() => resolve({ onEvent: undefined as never })).toThrow(/options\.onEvent must be a function/)
    expect(() => resolve({ appId: '' })).toThrow(/options\.appId must be a non-empty string/)
    expect(() => resolve({ limit: 0 })).toThrow(/options\.limit/)
    expect(() => resolve({ timeoutMs: -1 })).toThrow(/options\.timeoutMs/)
    const bytes16 = new TextEncoder().encode('b'.repeat(16))
    expect(resolve({ secret: ['a'.repeat(16), bytes16], appId: 'ap' })).toMatchObject({
      appId: 'ap',
      limit: 1_048_576,
      timeoutMs: 10_000,
    })
  })
})

describe('checkWebhookRequest', () => {
  const options = { limit: 10 }
  const head = { method: 'POST', url: '/', request: null }
  it('answers 405, then 401 (no or malformed signature, body unread), then 415 and 413, else null', () => {
    const good = 'ab'.repeat(32)
    expect(checkWebhookRequest({ ...head, method: 'GET', headers: {} }, options)?.status).toBe(405)
    for (const header of [undefined, '', 'ab', ['x', 'y'], `${good}, ${good}`]) {
      const outcome = checkWebhookRequest({ ...head, headers: { 'x-smartsupp-hmac': header } }, options)
      expect(outcome?.status).toBe(401)
      expect(outcome?.headers.connection).toBe('close')
    }
    const signed = { 'x-smartsupp-hmac': ` ${good.toUpperCase()} ` }
    expect(
      checkWebhookRequest({ ...head, headers: { ...signed, 'content-encoding': 'zstd' } }, options)?.status,
    ).toBe(415)
    expect(
      checkWebhookRequest({ ...head, headers: { ...signed, 'content-length': '11' } }, options)?.status,
    ).toBe(413)
    expect(checkWebhookRequest({ ...head, headers: signed }, options)).toBeNull()
  })
})

describe('receiveWebhook', () => {
  it('verifies before decoding: an undecodable body with a wrong signature reaches no callback', async () => {
    const calls: string[] = []
    const options = resolve({
      onEvent: () => void calls.push('event'),
      onInvalid: () => void calls.push('invalid'),
    })
    const garbage: ReceivedBody = { kind: 'bytes', bytes: new TextEncoder().encode('{') }
    const outcome = await receiveWebhook(await signedHead(), garbage, options)
    expect(outcome.status).toBe(401)
    expect(outcome.event).toBeNull()
    expect(calls).toEqual([])
  })

  it('hands the event to onEvent with the exact bytes, and reports it in the outcome', async () => {
    const seen: WebhookEvent[] = []
    const options = resolve({ onEvent: (event) => void seen.push(event) })
    const outcome = await receiveWebhook(await signedHead(), { kind: 'bytes', bytes }, options)
    expect(outcome).toMatchObject({ status: 200, result: 'delivered', body: { ok: true }, failure: null })
    expect(outcome.event).toBe(seen[0])
  })

  it('verifies a parsed body over its re-serialisation, and treats it as exact once it matches', async () => {
    const contexts: { rawBodySource: string }[] = []
    const options = resolve({ onEvent: (_e, context) => void contexts.push(context) })
    const parsed: ReceivedBody = { kind: 'parsed', value: JSON.parse(body) }
    expect((await receiveWebhook(await signedHead(), parsed, options)).status).toBe(200)
    expect(contexts[0]?.rawBodySource).toBe('bytes')
  })

  it('answers 401 and calls nothing when a parsed body no longer gives the signed bytes', async () => {
    const errors: unknown[] = []
    const options = resolve({
      onError: (error) => void errors.push(error),
      onEvent: () => expect.fail('called'),
    })
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    const parsed: ReceivedBody = { kind: 'parsed', value: JSON.parse(body) }
    const outcome = await receiveWebhook(await signedHead(pretty), parsed, options)
    expect(outcome.status).toBe(401)
    expect(errors).toEqual([])
  })

  it('hands bytes that do not inflate as their Content-Encoding says to onInvalid, as sent, once authentic', async () => {
    const invalid: Uint8Array[] = []
    const options = resolve({ onInvalid: (_f, raw) => void invalid.push(raw) })
    const sent = new TextEncoder().encode('not gzip')
    const read = { kind: 'not_inflatable', bytes: sent, coding: 'gzip' } as const
    const outcome = await receiveReadWith(await signedHead(sent), read, options, receiveWebhook, 'webhook')
    expect(outcome.status).toBe(400)
    expect(invalid).toEqual([sent])
  })

  it('answers 413 and 400 for reads that yielded no bytes, calling nothing but onError for the 413', async () => {
    const errors: unknown[] = []
    const options = resolve({ onEvent: () => expect.fail('called'), onError: (e) => void errors.push(e) })
    const head = await signedHead()
    const tooLarge = { kind: 'too_large', size: 2_000_000 } as const
    const read = await receiveReadWith(head, tooLarge, options, receiveWebhook, 'webhook')
    expect(read.status).toBe(413)
    expect(Object.keys(read)).not.toContain('refusal')
    expect(
      (await receiveReadWith(head, { kind: 'cut_off' }, options, receiveWebhook, 'webhook')).status,
    ).toBe(400)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'SmartsuppRefusedError', status: 413, bodyBytes: 2_000_000 })
  })

  it('lets onInvalid answer 200 once the dead letter is stored', async () => {
    const options = resolve({ onInvalid: () => ({ status: 200 }) })
    const broken = new TextEncoder().encode('{"event":1,"data":{}}')
    const outcome = await receiveWebhook(await signedHead(broken), { kind: 'bytes', bytes: broken }, options)
    expect(outcome).toMatchObject({ status: 200, result: 'invalid' })
    expect(outcome.failure?.issues.length).toBeGreaterThan(0)
  })
})
