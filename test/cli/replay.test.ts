// `listen --out` captures, `replay <dir>` re-delivers: the round trip over real HTTP, into the
// real webhook receiver (which verifies each signature and keeps each body's exact bytes).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import { memoryEventStore } from '../../src/store/memory-event-store.js'
import { postConversation, postWebhookEvent } from '../../src/testing/index.js'
import { runCli, startListener } from './cli-process.js'
import { bodyOf, closedConversation, SECRET } from './store-seed.js'

const TOKEN = 'post-hook-token'
const events = closedConversation('conv-replay')
const webhookBodies = events.map(bodyOf)
const conversationBody = readFileSync('examples/payloads/documented-example.json')

let dir: string
let captured: string

/**
 * A receiver: webhook events go to the real webhook listener (signature verified, bytes kept in
 * a memory store); a request with ?token= is a POST hook conversation, recorded if the token is right.
 */
async function receiver() {
  const store = memoryEventStore()
  const webhooks = createSmartsuppWebhookListener({ secret: SECRET, store })
  const arrivals: { kind: 'webhook' | 'conversation'; status: number }[] = []
  const conversations: Buffer[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.searchParams.has('token')) {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const ok = url.searchParams.get('token') === TOKEN && req.headers['x-smartsupp-hmac'] === undefined
        if (ok) conversations.push(Buffer.concat(chunks))
        arrivals.push({ kind: 'conversation', status: ok ? 200 : 401 })
        res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'wrong token')
      })
      return
    }
    res.on('finish', () => arrivals.push({ kind: 'webhook', status: res.statusCode }))
    webhooks(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    store,
    arrivals,
    conversations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-replay-'))
  captured = join(dir, 'captured')
  const listener = await startListener(['--out', captured, '--secret', SECRET])
  const url = `http://127.0.0.1:${listener.port}/capture`
  // One at a time, so the files' names (arrival time and number) are in sending order.
  for (const body of webhookBodies.slice(0, 3)) await postWebhookEvent(url, body, { secret: SECRET })
  await postConversation(url, conversationBody)
  for (const body of webhookBodies.slice(3)) await postWebhookEvent(url, body, { secret: SECRET })
  listener.stop()
  expect((await listener.done).code).toBe(0)
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('smartsupp-hook replay', { timeout: 60_000 }, () => {
  it('listen → replay: every captured body re-delivered byte-identical, in order, signed or with ?token=', async () => {
    const files = readdirSync(captured).sort()
    expect(files).toHaveLength(webhookBodies.length + 1)
    const target = await receiver()
    try {
      const r = await runCli(['replay', captured, '--url', target.url, '--secret', SECRET, '--token', TOKEN])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      const lines = r.stdout.trim().split('\n')
      expect(lines.slice(0, -1)).toEqual(
        files.map((f) => `200 ${f} (${f.includes('conversation-') ? 'conversation' : 'webhook event'})`),
      )
      expect(lines.at(-1)).toBe(
        `${files.length} files replayed to ${target.url}: ${files.length} answered 2xx, 0 not`,
      )
      expect(target.arrivals.map((a) => a.kind)).toEqual([
        'webhook',
        'webhook',
        'webhook',
        'conversation',
        'webhook',
        'webhook',
        'webhook',
      ])
      expect(target.arrivals.every((a) => a.status === 200)).toBe(true)

      // The receiver kept the exact bytes it verified: the ones first sent to listen.
      const stored = await target.store.events('conv-replay')
      expect(stored.map((e) => Buffer.from(e.body)).sort(Buffer.compare)).toEqual(
        [...webhookBodies].sort(Buffer.compare),
      )
      expect(target.conversations).toEqual([conversationBody])
      for (const file of files) {
        const bytes = readFileSync(join(captured, file))
        expect(
          [...webhookBodies, conversationBody].some((b) => b.equals(bytes)),
          file,
        ).toBe(true)
      }
    } finally {
      await target.close()
    }
  })

  it('--as webhook: a poisoned body that is not JSON is signed and kept as poisoned, not sent as a conversation', async () => {
    const poisonedDir = join(dir, 'poisoned')
    mkdirSync(poisonedDir, { recursive: true })
    const bytes = Buffer.from([0x7b, 0x22, 0x65, 0x76, 0xff, 0xfe, 0x00]) // `{"ev` and invalid UTF-8
    writeFileSync(join(poisonedDir, '2026-01-01T00-00-00-000Z-poisoned-abc.json'), bytes)
    const target = await receiver()
    try {
      const auto = await runCli(['replay', poisonedDir, '--url', target.url, '--secret', SECRET])
      // Auto-detected as a conversation: no signature, and without --token it goes nowhere useful.
      expect(auto.stdout).toContain('(conversation)')
      const r = await runCli([
        'replay',
        poisonedDir,
        '--url',
        target.url,
        '--secret',
        SECRET,
        '--as',
        'webhook',
      ])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toContain('200 2026-01-01T00-00-00-000Z-poisoned-abc.json (webhook event)')
      const [kept] = await target.store.poisoned()
      expect(Buffer.from(kept?.body ?? [])).toEqual(bytes)
      const bad = await runCli(['replay', poisonedDir, '--url', target.url, '--as', 'event'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('--as must be auto, conversation or webhook')
    } finally {
      await target.close()
    }
  })

  it('--concurrency 4: every body arrives; captures listen had not finished are skipped', async () => {
    const copy = join(dir, 'with-incomplete')
    cpSync(captured, copy, { recursive: true })
    writeFileSync(join(copy, '2099-01-01T00-00-00-000Z-0099-aborted.json'), '{"event":"conversation.op')
    writeFileSync(join(copy, '2099-01-01T00-00-00-000Z-0100-receiving.json'), '{')
    writeFileSync(join(copy, '.DS_Store'), 'x')
    const target = await receiver()
    try {
      const r = await runCli([
        'replay',
        copy,
        '--url',
        target.url,
        '--secret',
        SECRET,
        '--token',
        TOKEN,
        '--concurrency',
        '4',
      ])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toContain(': 7 answered 2xx, 0 not, 2 incomplete captures skipped\n')
      expect(r.stdout).not.toContain('aborted')
      expect(target.arrivals).toHaveLength(7)
      expect((await target.store.events('conv-replay')).length).toBe(webhookBodies.length)
    } finally {
      await target.close()
    }
  })

  it('refused deliveries: exit 1, each status printed, and a hint when a secret or token was not given', async () => {
    const target = await receiver()
    try {
      const wrong = await runCli([
        'replay',
        captured,
        '--url',
        target.url,
        '--secret',
        'not-the-secret',
        '--token',
        TOKEN,
      ])
      expect(wrong.code).toBe(1)
      expect(wrong.stdout).toMatch(
        /^401 \S+-webhook-conversation\.opened-conv-replay\.json \(webhook event\): \{"error":/m,
      )
      expect(wrong.stdout).toContain(': 1 answered 2xx, 6 not\n')

      const none = await runCli(['replay', captured, '--url', target.url])
      expect(none.code).toBe(1)
      expect(none.stdout).toMatch(/^401 .*\(webhook event\): .* \(sent unsigned: give --secret\)$/m)
      // Without --token a conversation goes to the URL as given: the webhook receiver refuses it.
      expect(none.stdout).toMatch(
        /^401 .*-conversation-55039\.json \(conversation\): .* \(sent without a token: give --token\)$/m,
      )
      expect(none.stdout).toContain(': 0 answered 2xx, 7 not\n')
      const stored = await target.store.events('conv-replay')
      expect(stored).toHaveLength(0)
    } finally {
      await target.close()
    }
  })

  it('an unreachable receiver, an empty directory, bad options: exit 2 naming the fix', async () => {
    const down = await runCli([
      'replay',
      captured,
      '--url',
      'http://127.0.0.1:1/webhooks',
      '--secret',
      SECRET,
    ])
    expect(down.code).toBe(2)
    expect(down.stderr).toMatch(
      /^smartsupp-hook: cannot reach http:\/\/127\.0\.0\.1:1\/webhooks: .*; 1 of 7 files tried, the rest not sent\n$/,
    )

    const empty = join(dir, 'empty')
    mkdirSync(empty)
    const cases: [string[], string][] = [
      [['replay', empty, '--url', 'http://127.0.0.1:1/'], `nothing to replay in ${empty}: no files`],
      [['replay', captured], 'replay: give --url'],
      [['replay', '--url', 'http://127.0.0.1:1/'], 'replay: give the directory of captured bodies'],
      [['replay', captured, '--url', 'ftp://x/'], '--url must be http: or https:'],
      [
        ['replay', captured, '--url', 'http://127.0.0.1:1/', '--concurrency', '0'],
        '--concurrency must be a whole number from 1 to 256',
      ],
      [
        ['replay', join(dir, 'missing'), '--url', 'http://127.0.0.1:1/'],
        `cannot read the directory ${join(dir, 'missing')}`,
      ],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
    }
  })
})
