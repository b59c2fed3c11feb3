import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signWebhookBody } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'

const readme = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8')
const SECRET = 'readme-webhook-secret'

/** The example file without its first line (the comment saying where it comes from). */
function exampleCode(name: string): string {
  const text = readFileSync(new URL(`./readme/${name}.ts`, import.meta.url), 'utf8')
  return text.slice(text.indexOf('\n') + 1)
}

async function originOf(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function post(url: string, body: string, secret = SECRET): Promise<Response> {
  const signature = await signWebhookBody(body, secret)
  return fetch(url, { method: 'POST', body, headers: { 'x-smartsupp-hmac': signature } })
}

describe('the webhook receivers of docs/webhooks.md run as written', () => {
  let server: Server | null = null
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => (server === null ? resolve(null) : server.close(resolve)))
    server = null
    vi.unstubAllEnvs()
    vi.restoreAllMocks()
    vi.resetModules()
  })

  it.each(['webhooks-express', 'webhooks-node', 'webhooks-fetch'])(
    '%s is in docs/webhooks.md as tested here',
    (name) => {
      expect(readme).toContain('## Receiving webhooks')
      expect(readme).toContain(`\`\`\`ts\n${exampleCode(name)}\`\`\``)
    },
  )

  it('Express: a signed event → 200 once handled, its re-delivery → 200 without handling twice, unsigned → 401', async () => {
    vi.stubEnv('SMARTSUPP_WEBHOOK_SECRET', SECRET)
    vi.stubEnv('PORT', '0')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const example = await import('./readme/webhooks-express.js')
    server = example.server
    const url = `${await originOf(example.server)}/webhooks/smartsupp`
    const body = JSON.stringify(webhookFixtures['conversation.closed']())
    expect((await post(url, body)).status).toBe(200)
    expect((await post(url, body)).status).toBe(200)
    expect(log).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith('closed', 'conv-001', 'agent')
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401)
    expect((await post(url, body, 'another-secret')).status).toBe(401)
    vi.spyOn(console, 'error').mockImplementation(() => {})
    // An authentic body that does not decode is kept (onInvalid → 200) when it is this app's;
    // the appId pin refuses one that names another app (401); one that names none is kept too.
    expect((await post(url, '{"event":1,"app_id":"ap40qUkYi"}')).status).toBe(200)
    expect((await post(url, '{"event":1,"app_id":"ap-another-app"}')).status).toBe(401)
    expect((await post(url, '{"event":1}')).status).toBe(200)
  })

  it('node:http: accepts either secret while rotating', async () => {
    vi.stubEnv('SMARTSUPP_WEBHOOK_SECRET', SECRET)
    vi.stubEnv('SMARTSUPP_WEBHOOK_SECRET_OLD', 'old-webhook-secret-0123')
    vi.stubEnv('PORT', '0')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const example = await import('./readme/webhooks-node.js')
    server = example.server
    const url = `${await originOf(example.server)}/webhooks/smartsupp`
    const body = JSON.stringify(webhookFixtures.unknown())
    expect((await post(url, body)).status).toBe(200)
    expect((await post(url, body, 'old-webhook-secret-0123')).status).toBe(200)
    expect(log).toHaveBeenCalledWith(webhookFixtures.unknown().event, 'unknown')
  })

  it('Fetch: the handler answers a Web Request', async () => {
    vi.stubEnv('SMARTSUPP_WEBHOOK_SECRET', SECRET)
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const example = await import('./readme/webhooks-fetch.js')
    const body = JSON.stringify(webhookFixtures['conversation.opened']())
    const signature = await signWebhookBody(body, SECRET)
    const request = new Request('http://x/webhooks/smartsupp', {
      method: 'POST',
      body,
      headers: { 'X-Smartsupp-Hmac': signature },
    })
    expect((await example.default.fetch(request)).status).toBe(200)
    expect(log).toHaveBeenCalledWith('conversation.opened', expect.stringMatching(/^\d{4}-/))
    expect((await example.POST(new Request('http://x/', { method: 'POST', body }))).status).toBe(401)
  })
})
