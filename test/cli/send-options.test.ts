import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { RAW_CONTROL, runCli } from './cli-process.js'

interface Seen {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: IncomingMessage['headers']
}

const servers: Server[] = []
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    s.close()
  }
})

/** A server on an ephemeral port that records every request and answers with `answer`. */
async function server(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = []
  const s = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers })
    req.resume()
    req.on('end', () => answer(req, res))
  })
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`, seen }
}

describe('smartsupp-hook send', { timeout: 60_000 }, () => {
  it('does not follow a redirect: a 302 is printed with its location and exits 1, nothing else is requested', async () => {
    const target = await server((req, res) => {
      if (req.url === '/hook') res.writeHead(302, { location: '/login' }).end()
      else res.writeHead(200).end('login page')
    })
    const r = await runCli(['send', target.url, '--fixture', 'missed'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('HTTP 302 Found\nlocation: /login (not followed)\n')
    expect(r.stderr).toBe('error the receiver answered 302, not 2xx\n')
    expect(target.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /hook'])
  })

  it('delivers -H headers to the receiver', async () => {
    const target = await server((_req, res) => res.writeHead(204).end())
    const r = await runCli(['send', target.url, '-H', 'X-Hook-Secret: s3', '--header', 'x-trace:  abc '])
    expect(r.code).toBe(0)
    expect(target.seen[0]?.headers).toMatchObject({ 'x-hook-secret': 's3', 'x-trace': 'abc' })
  })

  it('rejects a header that is not valid HTTP while reading the arguments (exit 2, nothing sent)', async () => {
    const target = await server((_req, res) => res.writeHead(200).end())
    const runs = await Promise.all([
      runCli(['send', target.url, '-H', 'Bad Name: v']),
      runCli(['send', target.url, '-H', 'X-Ok: line\nbreak']),
    ])
    expect(runs.map((r) => r.code)).toEqual([2, 2])
    expect(runs[0]?.stderr).toBe(
      'smartsupp-hook: send: --header "Bad Name: v" is not a valid HTTP header (a name is letters, digits and !#$%&\'*+-.^_`|~, no spaces) (see smartsupp-hook send --help)\n',
    )
    expect(runs[1]?.stderr).toContain('is not a valid HTTP header')
    expect(target.seen).toEqual([])
  })

  it('escapes control characters in the answer and prints at most 64 KiB of it', async () => {
    const hostile = await server((_req, res) =>
      res.writeHead(400).end('nope \u001b[2J\u009b31m\nsecond line'),
    )
    const huge = await server((_req, res) => res.writeHead(200).end('y'.repeat(200_000)))
    const [a, b] = await Promise.all([runCli(['send', hostile.url]), runCli(['send', huge.url])])
    expect(a.code).toBe(1)
    expect(a.stdout).toContain('nope \\u001b[2J\\u009b31m\nsecond line\n')
    expect(RAW_CONTROL.test(a.stdout + a.stderr)).toBe(false)
    expect(b.code).toBe(0)
    expect(b.stdout).toBe(
      `HTTP 200 OK\n${'y'.repeat(65_536)}\n… (cut: only the first 65536 bytes are shown)\n`,
    )
  })

  it('--timeout: a receiver that never answers is a clear one-line error, exit 2', async () => {
    const silent = await server(() => {})
    const [slow, bad] = await Promise.all([
      runCli(['send', silent.url, '--timeout', '0.5']),
      runCli(['send', silent.url, '--timeout', '0']),
    ])
    expect(slow.code).toBe(2)
    expect(slow.stderr).toBe(
      `smartsupp-hook: no answer from ${silent.url} within 0.5 s (raise it with --timeout)\n`,
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--timeout must be seconds above 0')
  })
})
