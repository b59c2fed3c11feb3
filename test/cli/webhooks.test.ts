import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyWebhookSignature } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { RAW_CONTROL, runCli, startListener } from './cli-process.js'

const dir = 'examples/payloads/webhooks'
const replied = `${dir}/conversation.agent_replied.json`

/** A server that records each request's headers and exact body and answers 200; closed by the caller. */
async function recording() {
  const requests: { headers: IncomingHttpHeaders; body: Buffer }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks) })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    requests,
    close: () => server.close(),
  }
}

describe('smartsupp-hook check and show: webhook events', { timeout: 60_000 }, () => {
  it('check tells webhook events from conversations by their shape, and --as overrides it', async () => {
    const [both, broken, forced, badAs] = await Promise.all([
      runCli(['check', dir, 'examples/payloads/documented-example.json']),
      runCli(['check', '-'], { stdin: '{"event": 5, "data": {}}' }),
      runCli(['check', '--as', 'webhook', 'examples/payloads/documented-example.json']),
      runCli(['check', '--as', 'xml', replied]),
    ])
    expect(both.code, both.stderr).toBe(0)
    const count = readdirSync(dir).filter((f) => f.endsWith('.json')).length
    expect(both.stdout).toContain(
      `ok    ${replied}: webhook conversation.agent_replied, conversation conv-001, agent Petr Svoboda (11), "Hi Jana, yes: size M is in stock."\n`,
    )
    expect(both.stdout).toContain(
      `ok    ${dir}/unknown.json: webhook visitor.page_viewed (unknown event, kept as sent)\n`,
    )
    expect(both.stdout).toContain('documented-example.json: conversation 55039, 6 messages\n')
    expect(both.stdout).toContain(`${count + 1} files (lenient): ${count + 1} valid, 0 invalid\n`)

    // A broken webhook event is still read as one: its issue is told in the webhook's terms.
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain('FAIL  stdin (as a webhook event): 1 issue\n')
    expect(broken.stdout).toContain('error   event: expected a string (the event name), found 5')

    expect(forced.code).toBe(1)
    expect(forced.stdout).toContain('(as a webhook event)')
    expect(badAs.code).toBe(2)
    expect(badAs.stderr).toContain('--as must be auto, conversation or webhook, got "xml"')
  })

  it('show: the name, time, conversation, author and text of an event, in text, markdown and json', async () => {
    const [text, md, json, rated, unknown] = await Promise.all([
      runCli(['show', '--tz', 'Europe/Prague', replied]),
      runCli(['show', '--format', 'markdown', replied]),
      runCli(['show', '--format', 'json', '-'], {
        stdin: JSON.stringify(webhookFixtures['conversation.closed']()),
      }),
      runCli(['show', `${dir}/conversation.rated.json`]),
      runCli(['show', `${dir}/unknown.json`]),
    ])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^Webhook event conversation\.agent_replied\n/)
    expect(text.stdout).toMatch(/ {2}time +2026-03-02 10:15:40 UTC\+01:00\n/)
    expect(text.stdout).toMatch(/ {2}conversation +conv-001 \(served\)\n/)
    expect(text.stdout).toMatch(/ {2}contact +Jana Nováková <jana@example\.com>\n/)
    expect(text.stdout).toMatch(/ {2}author +agent Petr Svoboda \(11\)\n/)
    expect(text.stdout).toMatch(/ {2}text +Hi Jana, yes: size M is in stock\.\n/)
    expect(text.stdout).toMatch(/ {2}response time +38 s \(first reply\)\n/)
    expect(text.stdout).toMatch(
      / {2}key +smartsupp-webhook:881987:conversation\.agent_replied:conv-001:[0-9a-f]{16}\n/,
    )
    expect(text.stderr).toBe('')

    expect(md.stdout).toContain('## Webhook event conversation.agent_replied\n')
    expect(md.stdout).toContain('- **author:** agent Petr Svoboda (11)\n')

    expect(json.code).toBe(0)
    const parsed = JSON.parse(json.stdout)
    expect(parsed.kind).toBe('webhook')
    expect(parsed.summary).toMatchObject({
      event: 'conversation.closed',
      known: true,
      time: '2026-03-02T09:20:00.000Z',
      conversationId: 'conv-001',
      conversationStatus: 'closed',
      closeType: 'agent',
      agentId: '11',
    })
    expect(parsed.event.data.conversation.finishedAt).toBe('2026-03-02T09:20:00.000Z')

    expect(rated.stdout).toMatch(/ {2}rating +5\/5 "Quick and friendly, thank you!"\n/)
    expect(unknown.code).toBe(0)
    expect(unknown.stdout).toMatch(/ {2}kind +webhook event the spec does not know/)
    expect(unknown.stdout).toMatch(/ {2}data keys +visitor\n/)
  })

  it('show: exit 1 with the webhook issues for a broken event; controls in its text are escaped', async () => {
    const hostile = webhookFixtures['conversation.contact_replied']()
    ;(hostile.data as { message: { content: string } }).message.content = 'clear \u001b[2J\u009b31m'
    const [broken, escaped] = await Promise.all([
      runCli(['show', '--strict', '-'], {
        stdin: JSON.stringify({ event: 'conversation.opened', data: [] }),
      }),
      runCli(['show', '-'], { stdin: JSON.stringify(hostile) }),
    ])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('Not a valid Smartsupp webhook event (strict)')
    expect(escaped.code).toBe(0)
    expect(escaped.stdout).toContain('clear \\u001b[2J\\u009b31m')
    expect(RAW_CONTROL.test(escaped.stdout)).toBe(false)
  })
})

describe('smartsupp-hook send --secret and listen --secret', { timeout: 90_000 }, () => {
  it('send --secret signs the exact bytes in X-Smartsupp-Hmac; webhook fixtures by name', async () => {
    const server = await recording()
    try {
      const [file, fixture, plain] = await Promise.all([
        runCli(['send', server.url, replied, '--secret', 'app-secret']),
        runCli(['send', server.url, '--fixture', 'webhook:conversation.bot_replied.html', '--secret', 's2']),
        runCli(['send', server.url, '--fixture', 'webhook:unknown']),
      ])
      expect([file.code, fixture.code, plain.code]).toEqual([0, 0, 0])
      expect(server.requests).toHaveLength(3)
      const byBody = (text: string) => server.requests.find((r) => r.body.toString().includes(text))
      const fromFile = byBody('msg-003')
      expect(fromFile?.body.equals(readFileSync(replied))).toBe(true)
      expect(
        await verifyWebhookSignature(
          fromFile?.body ?? '',
          fromFile?.headers['x-smartsupp-hmac'],
          'app-secret',
        ),
      ).toMatchObject({ valid: true })
      const fromFixture = byBody('msg-000')
      expect(JSON.parse(fromFixture?.body.toString() ?? '')).toEqual(
        webhookFixtures['conversation.bot_replied.html'](),
      )
      expect(
        await verifyWebhookSignature(fromFixture?.body ?? '', fromFixture?.headers['x-smartsupp-hmac'], 's2'),
      ).toMatchObject({ valid: true })
      expect(byBody('visitor.page_viewed')?.headers['x-smartsupp-hmac']).toBeUndefined()
    } finally {
      server.close()
    }
  })

  it('listen without --secret says a signed body was not verified', async () => {
    const listener = await startListener(['--count', '1'])
    const sent = await runCli([
      'send',
      `http://127.0.0.1:${listener.port}/`,
      '--fixture',
      'webhook:conversation.opened',
      '--secret',
      's',
    ])
    expect(sent.code).toBe(0)
    expect((await listener.done).stdout).toMatch(
      /received webhook conversation\.opened, conversation conv-001, signed \(not verified: no --secret\)\n/,
    )
  })

  it('send: usage errors for an unknown webhook fixture, an empty secret, and --secret beside -H X-Smartsupp-Hmac', async () => {
    const runs = await Promise.all([
      runCli(['send', 'http://127.0.0.1:9/', '--fixture', 'webhook:nope']),
      runCli(['send', 'http://127.0.0.1:9/', '--secret', '']),
      runCli(['send', 'http://127.0.0.1:9/', '--secret', 's', '-H', 'X-Smartsupp-Hmac: 00']),
      runCli(['listen', '--secret', '']),
    ])
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2])
    expect(runs[0]?.stderr).toContain('or a webhook event: webhook:conversation.opened,')
    expect(runs[0]?.stderr).toContain('webhook:unknown')
    expect(runs[1]?.stderr).toContain('--secret must not be empty')
    expect(runs[2]?.stderr).toContain('give --secret or an X-Smartsupp-Hmac header, not both')
    expect(runs[3]?.stderr).toContain('--secret must not be empty')
  })

  it('send --secret → listen --secret: verified and saved byte for byte; wrong or no signature flagged, saved, 401', async () => {
    const out = mkdtempSync(join(tmpdir(), 'smartsupp-hook-webhooks-'))
    try {
      const listener = await startListener(['--out', out, '--secret', 'app-secret', '--count', '4'])
      const url = `http://127.0.0.1:${listener.port}/webhooks`
      const signed = await runCli(['send', url, replied, '--secret', 'app-secret'])
      expect(signed.code, signed.stderr).toBe(0)
      expect(JSON.parse(signed.stdout.split('\n')[1] ?? '')).toMatchObject({
        received: true,
        decoded: true,
        signature: 'valid',
      })
      const [wrong, unsigned, legacy] = await Promise.all([
        runCli(['send', url, '--fixture', 'webhook:conversation.rated', '--secret', 'another-secret']),
        runCli(['send', url, '--fixture', 'webhook:contact.created']),
        runCli(['send', url, '--fixture', 'missed', '--secret', 'app-secret']),
      ])
      expect(wrong.code).toBe(1)
      expect(wrong.stdout).toMatch(/^HTTP 401 Unauthorized\n/)
      expect(JSON.parse(wrong.stdout.split('\n')[1] ?? '')).toMatchObject({ signature: 'mismatch' })
      expect(unsigned.code).toBe(1)
      expect(JSON.parse(unsigned.stdout.split('\n')[1] ?? '')).toMatchObject({ signature: 'missing' })
      // A POST hook conversation signed the same way is verified too.
      expect(legacy.code).toBe(0)

      const ended = await listener.done
      expect(ended.code).toBe(0)
      const files = readdirSync(out).sort()
      expect(files).toHaveLength(4)
      expect(files[0]).toMatch(/-0001-verified-webhook-conversation\.agent_replied-conv-001\.json$/)
      expect(readFileSync(join(out, files[0] as string)).equals(readFileSync(replied))).toBe(true)
      expect(files.some((f) => /-bad-signature-webhook-conversation\.rated-conv-001\.json$/.test(f))).toBe(
        true,
      )
      expect(files.some((f) => /-unsigned-webhook-contact\.created-cont-001\.json$/.test(f))).toBe(true)
      expect(files.some((f) => /-\d{4}-verified-conversation-\d+\.json$/.test(f))).toBe(true)

      const out_ = ended.stdout
      expect(out_).toMatch(
        /received webhook conversation\.agent_replied, conversation conv-001, agent Petr Svoboda \(11\), "Hi Jana, yes: size M is in stock\.", signature valid → /,
      )
      expect(out_).toMatch(
        /BAD SIGNATURE webhook conversation\.rated, conversation conv-001, rated 5\/5: .*does not match.*; answered 401 → /,
      )
      expect(out_).toMatch(
        /UNSIGNED webhook contact\.created, contact Jana Nováková <jana@example\.com>: no X-Smartsupp-Hmac header.*; answered 401/,
      )
      expect(out_).not.toContain('app-secret')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
