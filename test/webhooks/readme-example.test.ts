import { readFileSync } from 'node:fs'
import { signWebhookBody } from 'smartsupp-hook'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handleWebhook } from './readme-handler.js'
import { fixture } from './support.js'

const readme = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8')
const handler = readFileSync(new URL('./readme-handler.ts', import.meta.url), 'utf8')

describe('the webhook handler in docs/webhooks.md', () => {
  const seen = new Set<string>()
  beforeEach(() => {
    seen.clear()
    vi.stubEnv('SMARTSUPP_SECRET', 'readme-secret')
    vi.stubGlobal('alreadyHandled', async (key: string) => {
      if (seen.has(key)) return true
      seen.add(key)
      return false
    })
    vi.spyOn(console, 'log').mockImplementation(() => undefined)
  })
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })

  it('is in docs/webhooks.md as tested here', () => {
    const code = handler.slice(handler.indexOf('\n') + 1)
    expect(readme).toContain(`## Decoding and verifying`)
    expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``)
  })

  it('answers 200 to a signed event, 200 again to its re-delivery, 401 unsigned, 400 undecodable', async () => {
    const body = new TextEncoder().encode(JSON.stringify(fixture('conversation.agent_replied')))
    const signature = await signWebhookBody(body, 'readme-secret')
    expect(await handleWebhook(body, signature)).toBe(200)
    expect(console.log).toHaveBeenCalledWith(
      { kind: 'agent', agentId: '11', name: 'Petr Svoboda' },
      'Hi Jana, yes: size M is in stock.',
    )
    expect(await handleWebhook(body, signature)).toBe(200)
    expect(seen.size).toBe(1)
    expect(await handleWebhook(body, undefined)).toBe(401)
    expect(await handleWebhook(body, await signWebhookBody(body, 'other'))).toBe(401)
    const broken = new TextEncoder().encode('{"event": 1}')
    expect(await handleWebhook(broken, await signWebhookBody(broken, 'readme-secret'))).toBe(400)
  })

  it('accepts unknown events and reads a rating', async () => {
    for (const name of ['unknown', 'conversation.rated'] as const) {
      const body = new TextEncoder().encode(JSON.stringify(fixture(name)))
      expect(await handleWebhook(body, await signWebhookBody(body, 'readme-secret'))).toBe(200)
    }
    expect(console.log).toHaveBeenCalledWith({ value: 5, comment: 'Quick and friendly, thank you!' })
  })
})
