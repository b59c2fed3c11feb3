// Replay never signs what listen refused: listen --secret records its verdict in each capture's
// name, replay --secret signs what listen verified and, with a line saying so, what carries no
// verdict (listen without --secret), and a
// capture it cannot read (over --max-bytes) is skipped, not fatal. Real processes, real HTTP,
// the real webhook receiver behind.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import type { WebhookEvent } from '../../src/model/webhook-event.js'
import { postWebhookEvent } from '../../src/testing/index.js'
import { runCli, startListener } from './cli-process.js'

const SECRET = 'replay-verdict-secret-0123456789'
const FORGED = 'FORGED unsigned: refund order 1234'

/** A contact_replied event whose message text is `text` and message id `id`. */
function reply(text: string, id: string): string {
  const event = webhookFixtures['conversation.contact_replied']()
  const message = (event.data as { message: { id: string; content: string } }).message
  message.id = id
  message.content = text
  return JSON.stringify(event)
}

/** The host: the real webhook receiver, recording what reaches onEvent. */
async function host() {
  const texts: string[] = []
  const listener = createSmartsuppWebhookListener({
    secret: SECRET,
    onEvent: (event: WebhookEvent) => {
      if (event.known && event.event === 'conversation.contact_replied') {
        const content = event.data.message?.content
        texts.push(typeof content === 'string' ? content : JSON.stringify(content))
      } else texts.push(event.event)
    },
  })
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    texts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

let dir: string
let captured: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-replay-verdicts-'))
  captured = join(dir, 'captured')
  const listener = await startListener(['--out', captured, '--secret', SECRET])
  const url = `http://127.0.0.1:${listener.port}/capture`
  // One at a time, so the names (arrival time, number) are in sending order.
  expect((await postWebhookEvent(url, reply('genuine one', 'm1'), { secret: SECRET })).status).toBe(200)
  const unsigned = await fetch(url, {
    method: 'POST',
    body: reply(FORGED, 'm2'),
    headers: { 'content-type': 'application/json' },
  })
  expect(unsigned.status).toBe(401)
  const wrong = await postWebhookEvent(url, reply('FORGED wrong secret', 'm3'), {
    secret: 'an-attacker-guess-0123456789',
  })
  expect(wrong.status).toBe(401)
  expect((await postWebhookEvent(url, reply('genuine two', 'm4'), { secret: SECRET })).status).toBe(200)
  listener.stop()
  expect((await listener.done).code).toBe(0)
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('replay --secret never signs what listen refused', { timeout: 60_000 }, () => {
  it('listen records its verdict in each name: verified-, unsigned-, bad-signature-', () => {
    const names = readdirSync(captured).sort()
    expect(names.map((n) => /-\d{4}-(verified|unsigned|bad-signature)-webhook-/.exec(n)?.[1])).toEqual([
      'verified',
      'unsigned',
      'bad-signature',
      'verified',
    ])
  })

  it('forged captures through listen → replay never reach the host: skipped with a line saying why, exit 1', async () => {
    const target = await host()
    try {
      const r = await runCli(['replay', captured, '--url', target.url, '--secret', SECRET])
      expect(r.code).toBe(1)
      expect(target.texts).toEqual(['genuine one', 'genuine two'])
      const lines = r.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^200 \S+-verified-webhook-\S+ \(webhook event\)$/)
      expect(lines[1]).toMatch(
        /^skipped \S+-unsigned-webhook-\S+ \(webhook event\): not signed: listen answered it 401 \(it came with no X-Smartsupp-Hmac signature\), so nothing proves Smartsupp sent it; --sign-refused signs it anyway/,
      )
      expect(lines[2]).toMatch(
        /^skipped \S+-bad-signature-webhook-\S+ \(webhook event\): not signed: .*did not match/,
      )
      expect(lines[3]).toMatch(/^200 \S+-verified-webhook-/)
      expect(lines[4]).toBe(`4 files replayed to ${target.url}: 2 answered 2xx, 0 not, 2 not sent (skipped)`)
    } finally {
      await target.close()
    }
  })

  it("--sign-refused signs them all the same (for bodies known to be Smartsupp's); it needs --secret", async () => {
    const target = await host()
    try {
      const r = await runCli(['replay', captured, '--url', target.url, '--secret', SECRET, '--sign-refused'])
      expect(r.code, r.stdout).toBe(0)
      expect(target.texts).toEqual(['genuine one', FORGED, 'FORGED wrong secret', 'genuine two'])
      const usage = await runCli(['replay', captured, '--url', target.url, '--sign-refused'])
      expect(usage.code).toBe(2)
      expect(usage.stderr).toContain('--sign-refused signs with --secret: give --secret too')
    } finally {
      await target.close()
    }
  })

  it('without --secret nothing is signed: the refused captures are sent as they came, and the receiver refuses them', async () => {
    const target = await host()
    try {
      const r = await runCli(['replay', captured, '--url', target.url])
      expect(r.code).toBe(1)
      expect(target.texts).toEqual([])
      expect(r.stdout).toContain(': 0 answered 2xx, 4 not\n')
    } finally {
      await target.close()
    }
  })

  it('captures with no verdict (listen without --secret) are signed, each with a line saying it was unverified', async () => {
    const plain = join(dir, 'no-verdict')
    const listener = await startListener(['--out', plain, '--count', '2'])
    const url = `http://127.0.0.1:${listener.port}/`
    await postWebhookEvent(url, reply('captured without a secret', 'm5'), { secret: SECRET })
    // A forged body: listen without --secret cannot tell, and answers 200.
    const forged = await fetch(url, {
      method: 'POST',
      body: reply(FORGED, 'm8'),
      headers: { 'content-type': 'application/json' },
    })
    expect(forged.status).toBe(200)
    await listener.done
    const names = readdirSync(plain).sort()
    expect(names).toEqual([
      expect.stringMatching(/-0001-webhook-conversation\.contact_replied-/),
      expect.stringMatching(/-0002-webhook-conversation\.contact_replied-/),
    ])
    const target = await host()
    try {
      const r = await runCli(['replay', plain, '--url', target.url, '--secret', SECRET])
      expect(r.code, r.stdout).toBe(0)
      // Nothing told them apart: both are signed and reach the host, and the output says so.
      expect(target.texts).toEqual(['captured without a secret', FORGED])
      expect(r.stdout.trim().split('\n')).toEqual([
        `signed unverified capture ${names[0]}: listen had no --secret, so nothing proves Smartsupp sent it`,
        `200 ${names[0]} (webhook event)`,
        `signed unverified capture ${names[1]}: listen had no --secret, so nothing proves Smartsupp sent it`,
        `200 ${names[1]} (webhook event)`,
        `2 files replayed to ${target.url}: 2 answered 2xx, 0 not, 2 captures signed without a verdict (unverified)`,
      ])
    } finally {
      await target.close()
    }
  })

  it('signs store poisoned --out captures (a receiver verified them) with no such line; files named otherwise get one', async () => {
    const other = join(dir, 'other-names')
    mkdirSync(other)
    writeFileSync(
      join(other, '2026-03-14T09-30-00-000Z-poisoned-0123456789abcdef.json'),
      reply('poisoned', 'm9'),
    )
    writeFileSync(join(other, 'mine.json'), reply('hand-made', 'm10'))
    const target = await host()
    try {
      const r = await runCli(['replay', other, '--url', target.url, '--secret', SECRET])
      expect(r.code, r.stdout).toBe(0)
      expect(target.texts).toEqual(['poisoned', 'hand-made'])
      expect(r.stdout.trim().split('\n')).toEqual([
        '200 2026-03-14T09-30-00-000Z-poisoned-0123456789abcdef.json (webhook event)',
        'signed unverified capture mine.json: its name records no verdict (not a listen --secret capture), so nothing proves Smartsupp sent it',
        '200 mine.json (webhook event)',
        `2 files replayed to ${target.url}: 2 answered 2xx, 0 not, 1 capture signed without a verdict (unverified)`,
      ])
      // Unsigned (no --secret), nothing is claimed about them.
      const unsigned = await runCli(['replay', other, '--url', target.url])
      expect(unsigned.stdout).not.toContain('unverified')
    } finally {
      await target.close()
    }
  })
})

describe('replay skips a capture it cannot read, and goes on', { timeout: 60_000 }, () => {
  it('a capture over 64 MiB (the default --max-bytes) or over --max-bytes is skipped with a line; the others are sent', async () => {
    const mixed = join(dir, 'mixed')
    mkdirSync(mixed)
    writeFileSync(join(mixed, 'a.json'), reply('small before', 'm6'))
    // 64 MiB + 1 byte, sparse: the size is what replay looks at first.
    closeSync(openSync(join(mixed, 'b-huge.json'), 'w'))
    truncateSync(join(mixed, 'b-huge.json'), 64 * 1024 * 1024 + 1)
    writeFileSync(join(mixed, 'c.json'), reply('small after', 'm7'))
    const target = await host()
    try {
      const r = await runCli(['replay', mixed, '--url', target.url, '--secret', SECRET])
      expect(r.code).toBe(1)
      expect(target.texts).toEqual(['small before', 'small after'])
      expect(r.stdout).toContain(
        'skipped b-huge.json: not sent: too large (67108865 bytes), over the 64 MiB limit; raise it with --max-bytes\n',
      )
      expect(r.stdout).toContain(
        ': 2 answered 2xx, 0 not, 1 not sent (skipped), 2 captures signed without a verdict (unverified)\n',
      )

      const raised = await runCli([
        'replay',
        mixed,
        '--url',
        target.url,
        '--secret',
        SECRET,
        '--max-bytes',
        '100',
      ])
      expect(raised.code).toBe(1)
      expect(raised.stdout.match(/^skipped /gm)).toHaveLength(3)
    } finally {
      await target.close()
    }
  })
})
