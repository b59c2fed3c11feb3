import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { signWebhookBody, verifyWebhookSignature } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { fixture } from './support.js'

const secret = 'shh-app-secret'
const body = JSON.stringify(fixture('conversation.agent_replied'))
const bytes = new TextEncoder().encode(body)
const nodeHmac = (data: string | Uint8Array, key: string) =>
  createHmac('sha256', key).update(data).digest('hex')

describe('signWebhookBody', () => {
  it('is the lowercase hex HMAC-SHA256 of the bytes (as node:crypto computes it)', async () => {
    expect(await signWebhookBody(body, secret)).toBe(nodeHmac(body, secret))
    expect(await signWebhookBody(bytes, secret)).toBe(nodeHmac(body, secret))
    expect(await signWebhookBody('žluťoučký', secret)).toBe(nodeHmac('žluťoučký', secret))
  })
})

describe('verifyWebhookSignature', () => {
  const good = nodeHmac(body, secret)

  it('accepts the right signature over text, bytes, a Buffer and an ArrayBuffer', async () => {
    for (const raw of [body, bytes, Buffer.from(body), bytes.slice().buffer]) {
      expect(await verifyWebhookSignature(raw, good, secret)).toEqual({ valid: true, secretIndex: 0 })
    }
  })

  it('accepts upper-case hex, surrounding spaces and a one-element header array', async () => {
    expect((await verifyWebhookSignature(body, good.toUpperCase(), secret)).valid).toBe(true)
    expect((await verifyWebhookSignature(body, ` ${good}\t`, secret)).valid).toBe(true)
    expect((await verifyWebhookSignature(body, [good], secret)).valid).toBe(true)
  })

  it.each([
    ['absent', undefined, 'missing'],
    ['null', null, 'missing'],
    ['empty', '', 'missing'],
    ['blank', '   ', 'missing'],
    ['truncated', good.slice(0, 63), 'malformed'],
    ['too long', `${good}0`, 'malformed'],
    ['not hex', `${good.slice(0, 62)}zz`, 'malformed'],
    ['prefixed', `sha256=${good}`, 'malformed'],
    ['two headers', [good, good], 'malformed'],
    ['wrong', nodeHmac(body, 'other'), 'mismatch'],
    ['one digit off', `${good.slice(0, 63)}${good.endsWith('0') ? '1' : '0'}`, 'mismatch'],
  ] as const)('a signature that is %s fails as %s', async (_, header, reason) => {
    const result = await verifyWebhookSignature(body, header, secret)
    expect(result).toMatchObject({ valid: false, reason })
    if (!result.valid) expect(result.message).toMatch(/^smartsupp-hook: /)
  })

  it('another secret fails; several secrets (rotation) pass with the index of the one that matched', async () => {
    expect((await verifyWebhookSignature(body, good, 'another')).valid).toBe(false)
    expect(await verifyWebhookSignature(body, good, ['new-secret', secret])).toEqual({
      valid: true,
      secretIndex: 1,
    })
    expect(await verifyWebhookSignature(body, good, [secret, 'old'])).toEqual({ valid: true, secretIndex: 0 })
    const wrong = await verifyWebhookSignature(body, good, ['a', 'b'])
    expect(wrong.valid === false && wrong.message).toMatch(/any of the 2 secrets/)
  })

  it('accepts a secret as bytes', async () => {
    expect((await verifyWebhookSignature(body, good, new TextEncoder().encode(secret))).valid).toBe(true)
  })

  it('rejects a missing or empty secret: a setup error', async () => {
    await expect(verifyWebhookSignature(body, good, '')).rejects.toThrow(TypeError)
    await expect(verifyWebhookSignature(body, good, [])).rejects.toThrow(TypeError)
    await expect(verifyWebhookSignature(body, good, undefined as unknown as string)).rejects.toThrow(
      TypeError,
    )
  })

  it('explains a parsed body (req.body after express.json())', async () => {
    const result = await verifyWebhookSignature(JSON.parse(body) as string, good, secret)
    expect(result).toMatchObject({ valid: false, reason: 'not_raw_body' })
    expect(result.valid === false && result.message).toMatch(/before express\.json\(\)/)
  })

  it('explains text re-serialised after a JSON parser (pretty-printed here, compact as signed)', async () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    const result = await verifyWebhookSignature(pretty, good, secret)
    expect(result).toMatchObject({ valid: false, reason: 'not_raw_body' })
    expect(result.valid === false && result.message).toMatch(/re-serialised after a JSON parser.*exact bytes/)
  })

  it('explains a compact re-serialisation of a body Smartsupp sent with other spacing', async () => {
    const sent = JSON.stringify(JSON.parse(body), null, 4)
    const signature = nodeHmac(sent, secret)
    const result = await verifyWebhookSignature(JSON.stringify(JSON.parse(sent)), signature, secret)
    expect(result).toMatchObject({ valid: false, reason: 'not_raw_body' })
  })

  it('a body changed in content is a plain mismatch', async () => {
    const result = await verifyWebhookSignature(body.replace('size M', 'size L'), good, secret)
    expect(result).toMatchObject({ valid: false, reason: 'mismatch' })
  })

  it('any byte flipped in a signed body fails verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, flip) => {
          const changed = bytes.slice()
          changed[i] = (changed[i] as number) ^ flip
          expect((await verifyWebhookSignature(changed, good, secret)).valid).toBe(false)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('any body signed with its secret verifies, and not with another', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array(), fc.string({ minLength: 1 }), async (raw, key) => {
        const signature = await signWebhookBody(raw, key)
        expect((await verifyWebhookSignature(raw, signature, key)).valid).toBe(true)
        expect((await verifyWebhookSignature(raw, signature, `${key}x`)).valid).toBe(false)
      }),
      { numRuns: 100 },
    )
  })
})
