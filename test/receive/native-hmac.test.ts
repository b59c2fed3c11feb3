import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fixture } from '../webhooks/support.js'

// Signatures are checked through node:crypto where `process.getBuiltinModule` gives it, else
// through Web Crypto (Fetch runtimes, Node < 20.16, a bundle for the browser). Each backend runs
// the same cases in a fresh copy of the module; counting Web Crypto's `sign` calls shows which ran.

type Verifier = typeof import('../../src/receive/verify-webhook-signature.js')
const original = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule')

/** A fresh verify module whose first use (which picks the backend) sees `getBuiltinModule`. */
async function verifierWith(getBuiltinModule: unknown): Promise<Verifier> {
  Object.defineProperty(process, 'getBuiltinModule', {
    value: getBuiltinModule,
    configurable: true,
    writable: true,
  })
  try {
    vi.resetModules()
    const verifier = await import('../../src/receive/verify-webhook-signature.js')
    await verifier.signWebhookBody('picks the backend', 'now')
    return verifier
  } finally {
    if (original !== undefined) Object.defineProperty(process, 'getBuiltinModule', original)
  }
}

const secret = 'shh-app-secret'
const body = JSON.stringify(fixture('conversation.agent_replied'))
const good = createHmac('sha256', secret).update(body).digest('hex')

/** What every backend must answer the same way. */
async function cases(v: Verifier) {
  const pretty = JSON.stringify(JSON.parse(body), null, 2)
  return {
    sign: await v.signWebhookBody(body, secret),
    valid: await v.verifyWebhookSignature(body, good, secret),
    upper: (await v.verifyWebhookSignature(new TextEncoder().encode(body), good.toUpperCase(), secret)).valid,
    rotation: await v.verifyWebhookSignature(body, good, ['new', secret, 'old']),
    wrongSecret: (await v.verifyWebhookSignature(body, good, 'another')).valid,
    changed: (await v.verifyWebhookSignature(`${body} `, good, secret)).valid,
    reserialised: await v.verifyWebhookSignature(pretty, good, secret),
  }
}

const expected = {
  sign: good,
  valid: { valid: true, secretIndex: 0 },
  upper: true,
  rotation: { valid: true, secretIndex: 1 },
  wrongSecret: false,
  changed: false,
  reserialised: expect.objectContaining({ valid: false, reason: 'not_raw_body' }),
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('signature backends', () => {
  it('Node (this one has process.getBuiltinModule): node:crypto, no Web Crypto call', async () => {
    expect(typeof original?.value).toBe('function')
    const v = await verifierWith(original?.value)
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    expect(await cases(v)).toEqual(expected)
    expect(sign).not.toHaveBeenCalled()
  })

  it.each([
    ['absent (Node < 20.16, a browser bundle, a Fetch runtime)', undefined],
    [
      'throwing (a stub)',
      () => {
        throw new Error('not implemented')
      },
    ],
    ['without createHmac', () => ({})],
    [
      'computing something else (a polyfill)',
      () => ({
        createHmac: () => ({ update: () => ({ digest: () => new Uint8Array(32) }) }),
        timingSafeEqual: () => true,
      }),
    ],
  ])('getBuiltinModule %s: Web Crypto, same answers', async (_, getBuiltinModule) => {
    const v = await verifierWith(getBuiltinModule)
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    expect(await cases(v)).toEqual(expected)
    expect(sign).toHaveBeenCalled()
  })
})
