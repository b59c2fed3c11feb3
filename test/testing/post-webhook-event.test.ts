import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { parseWebhookEvent, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from 'smartsupp-hook'
import { postWebhookEvent, webhookConversation, webhookFixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

const SECRET = 'shh-its-a-secret'

/** What a receiver saw: the exact bytes, the signature header and whether it verified. */
interface Seen {
  readonly body: Buffer
  readonly signature: string | undefined
  readonly valid: boolean
}

/** A node:http listener that verifies every delivery over the exact bytes, as a receiver must. */
function verifyingListener(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const signature = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      const result = await verifyWebhookSignature(body, signature, SECRET)
      seen.push({ body, signature, valid: result.valid })
      res.statusCode = result.valid ? 200 : 401
      res.end()
    })
  }
}

describe('postWebhookEvent (real HTTP on 127.0.0.1, verified with verifyWebhookSignature)', () => {
  it("a Node listener ({ as: 'node' }): signs the exact bytes sent, lowercase hex, and the body is the event", async () => {
    const seen: Seen[] = []
    const event = webhookFixtures['conversation.agent_replied']()
    const response = await postWebhookEvent(verifyingListener(seen), event, { secret: SECRET, as: 'node' })
    expect(response.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.valid).toBe(true)
    expect(seen[0]?.signature).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(seen[0]?.body.toString('utf8') ?? '')).toEqual(event)
  })

  it('an http.Server, a URL and an Express app: every event of a built sequence verifies and decodes', async () => {
    const seen: Seen[] = []
    const server = createServer(verifyingListener(seen))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/smartsupp`
      const events = webhookConversation()
        .opened()
        .contactReplied('Hi')
        .agentReplied('11', 'Hello')
        .closed()
        .build()
      for (const event of events) {
        expect((await postWebhookEvent(server, event, { secret: SECRET })).status).toBe(200)
        expect((await postWebhookEvent(url, event, { secret: SECRET })).status).toBe(200)
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    expect(seen).toHaveLength(8)
    for (const s of seen) {
      expect(s.valid).toBe(true)
      expect(parseWebhookEvent(s.body, { mode: 'strict' })._tag).toBe('Right')
    }

    const app = express()
    const fromExpress: Seen[] = []
    app.post('/hook', verifyingListener(fromExpress))
    const response = await postWebhookEvent(app, webhookFixtures.unknown(), { secret: SECRET, url: '/hook' })
    expect(response.status).toBe(200)
    expect(fromExpress[0]?.valid).toBe(true)
  })

  it('a Fetch handler; strings and bytes are signed and sent unchanged; byte secrets work', async () => {
    const seen: { text: string; valid: boolean }[] = []
    const handler = async (request: Request) => {
      const bytes = new Uint8Array(await request.arrayBuffer())
      const secret = new TextEncoder().encode(SECRET)
      const { valid } = await verifyWebhookSignature(
        bytes,
        request.headers.get(WEBHOOK_SIGNATURE_HEADER),
        secret,
      )
      seen.push({ text: new TextDecoder().decode(bytes), valid })
      return new Response(null, { status: valid ? 200 : 401 })
    }
    const text = `{ "event": "conversation.opened",\n  "odd": "spacing, kept" }`
    expect((await postWebhookEvent(handler, text, { secret: SECRET })).status).toBe(200)
    expect((await postWebhookEvent(handler, new TextEncoder().encode(text), { secret: SECRET })).status).toBe(
      200,
    )
    expect(seen.map((s) => s.text)).toEqual([text, text])
    expect(seen.every((s) => s.valid)).toBe(true)
  })

  it('another secret, or a signature given in headers, is refused by the receiver', async () => {
    const seen: Seen[] = []
    const listener = verifyingListener(seen)
    const event = webhookFixtures['conversation.opened']()
    expect((await postWebhookEvent(listener, event, { secret: 'another', as: 'node' })).status).toBe(401)
    const wrong = await postWebhookEvent(listener, event, {
      secret: SECRET,
      as: 'node',
      headers: { 'X-Smartsupp-Hmac': '0'.repeat(64) },
    })
    expect(wrong.status).toBe(401)
    expect(seen.map((s) => s.signature)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), '0'.repeat(64)])
  })

  it('refuses a missing secret and a value JSON cannot write', async () => {
    const handler = () => new Response(null)
    await expect(postWebhookEvent(handler, {}, undefined as never)).rejects.toThrow(/secret/)
    await expect(postWebhookEvent(handler, {}, { secret: '' })).rejects.toThrow(/empty/)
    await expect(postWebhookEvent(handler, undefined, { secret: SECRET })).rejects.toThrow(/JSON value/)
  })
})
