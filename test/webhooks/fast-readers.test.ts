import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FAST_READERS_PATH, formattedWebhookReadersSource } from '../../scripts/generate-webhook-readers.js'

describe('the generated fast webhook readers', () => {
  it('are up to date with the codecs (else run: npx tsx scripts/generate-webhook-readers.ts)', () => {
    expect(readFileSync(FAST_READERS_PATH, 'utf8')).toBe(formattedWebhookReadersSource())
  }, 30_000)
})
