import { signWebhookBody, verifyWebhookSignature } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'

describe('verifyWebhookSignature on hostile bodies', () => {
  it('resolves (mismatch) for a deeply nested body with a wrong signature: the re-serialisation diagnosis cannot throw', async () => {
    const body = `${'['.repeat(200_000)}${']'.repeat(200_000)}`
    const result = await verifyWebhookSignature(body, 'ab'.repeat(32), 'secret')
    expect(result).toMatchObject({ valid: false, reason: 'mismatch' })
  })

  it('still verifies such a body when it is signed', async () => {
    const body = `${'['.repeat(200_000)}${']'.repeat(200_000)}`
    const header = await signWebhookBody(body, 'secret')
    expect(await verifyWebhookSignature(body, header, 'secret')).toMatchObject({ valid: true })
  })
})
