import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { runCli, startListener } from './cli-process.js'

const example = 'examples/payloads/documented-example.json'

/** A server on an ephemeral port that answers every request with `status`; closed by the caller. */
async function answering(status: number) {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => server.close(),
  }
}

describe('smartsupp-hook send and listen', { timeout: 60_000 }, () => {
  it('send → listen: the captured files are byte-identical to what was sent, undecodable ones flagged', async () => {
    const out = mkdtempSync(join(tmpdir(), 'smartsupp-hook-listen-'))
    const listener = await startListener(['--out', out, '--count', '3'])
    const url = `http://127.0.0.1:${listener.port}/hooks/smartsupp?secret=s3`
    const sent = await runCli(['send', url, example])
    expect(sent.code).toBe(0)
    expect(sent.stdout).toMatch(/^HTTP 200 OK\n\{"received":true,"decoded":true,/)
    const broken = await runCli(['send', url, '-'], { stdin: 'not json at all' })
    expect(broken.code).toBe(0)
    const fixture = await runCli(['send', url, '--fixture', 'triggered-only'])
    expect(fixture.code).toBe(0)

    const ended = await listener.done // --count 3: it stops by itself
    expect(ended.code).toBe(0)
    const files = readdirSync(out).sort()
    expect(files).toHaveLength(3)
    expect(files[0]).toMatch(/-0001-conversation-55039\.json$/)
    expect(files[1]).toMatch(/-0002-undecodable\.json$/)
    expect(files[2]).toMatch(/-0003-conversation-1004\.json$/)
    const read = (i: number) => readFileSync(join(out, files[i] as string))
    expect(read(0).equals(readFileSync(example))).toBe(true)
    expect(read(1).toString()).toBe('not json at all')
    expect(JSON.parse(read(2).toString())).toEqual(fixtures.triggeredOnly())
    rmSync(out, { recursive: true, force: true })

    const lines = ended.stdout.trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[1]).toMatch(
      /received conversation 55039: chat, 6 messages, Dusan Kmet → .*0001-conversation-55039\.json$/,
    )
    expect(lines[2]).toMatch(
      /UNDECODABLE 15 bytes \/hooks\/smartsupp\?secret=s3: Not a valid Smartsupp conversation/,
    )
    expect(lines[3]).toMatch(/received conversation 1004: chat, 3 messages, anonymous visitor/)
  })

  it('listen answers 405 to anything but POST, counts it for --count, and runs without --out', async () => {
    const listener = await startListener(['--count', '2'])
    const base = `http://127.0.0.1:${listener.port}/`
    expect(listener.output()).toContain('not saving bodies (use --out DIR)')
    expect((await fetch(base)).status).toBe(405)
    const sent = await runCli(['send', base])
    expect(sent.code).toBe(0) // no file and no --fixture: the documented example
    expect((await listener.done).stdout).toContain('received conversation 55039')
  })

  it('send exits 1 on a non-2xx answer and prints it', async () => {
    const server = await answering(503)
    try {
      const r = await runCli(['send', server.url, '--fixture', 'missed', '-H', 'X-Test: 1'])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('HTTP 503 Service Unavailable\nanswer 503\n')
      expect(r.stderr).toBe('error the receiver answered 503, not 2xx\n')
    } finally {
      server.close()
    }
  })

  it('send exits 2 for an unreachable receiver and for bad arguments, one line each', async () => {
    const closed = await answering(200)
    closed.close()
    const runs = await Promise.all([
      runCli(['send', closed.url]),
      runCli(['send', 'not a url']),
      runCli(['send', 'ftp://example.com/']),
      runCli(['send', 'http://127.0.0.1:9/', '--fixture', 'nope']),
      runCli(['send', 'http://127.0.0.1:9/', example, '--fixture', 'missed']),
      runCli(['send', 'http://127.0.0.1:9/', '-H', 'no-colon']),
      runCli(['send']),
    ])
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2])
    expect(runs[0]?.stderr).toMatch(
      /^smartsupp-hook: cannot reach http:\/\/127\.0\.0\.1:\d+\/hook: .*ECONNREFUSED/,
    )
    expect(runs[3]?.stderr).toContain(
      'no fixture "nope"; one of documented-example, missed, offline, triggered-only',
    )
    expect(runs.every((r) => r.stderr.trim().split('\n').length === 1 && r.stdout === '')).toBe(true)
  })

  it('listen exits 2 for a bad --port or --count, or a port in use', async () => {
    const busy = await answering(200)
    const port = new URL(busy.url).port
    try {
      const runs = await Promise.all([
        runCli(['listen', '--port', 'abc']),
        runCli(['listen', '--port', '70000']),
        runCli(['listen', '--count', '0']),
        runCli(['listen', '--port', port]),
      ])
      expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2])
      expect(runs[0]?.stderr).toContain('--port must be a whole number from 0 to 65535, got "abc"')
      expect(runs[3]?.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`))
    } finally {
      busy.close()
    }
  })
})
