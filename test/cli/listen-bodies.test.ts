import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { conversation } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type Listener, RAW_CONTROL, runCli, startListener } from './cli-process.js'

const dirs: string[] = []
const listeners: Listener[] = []
afterEach(() => {
  for (const l of listeners.splice(0)) l.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartsupp-hook-listen-bodies-'))
  dirs.push(dir)
  return dir
}

async function listen(args: readonly string[]): Promise<Listener> {
  const l = await startListener(args)
  listeners.push(l)
  return l
}

/** POSTs `body` and resolves with the status and the answer's text. */
function post(port: number, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/hook', method: 'POST' }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (s: string) => {
        text += s
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Sends the head of a POST announcing 1000 bytes, then `sent`, then goes away. */
function cutOff(port: number, sent: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${sent}`, () => {
        setTimeout(() => socket.destroy(), 200)
      })
    })
    socket.on('close', () => resolve())
  })
}

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 256))

describe('smartsupp-hook listen: bodies over the limit and bodies cut off', { timeout: 60_000 }, () => {
  it('--out: a body over --max-bytes is saved whole, byte for byte, not decoded, with a line saying so', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--max-bytes', '1KiB', '--count', '1'])
    const body = bytes(5000)
    const answer = await post(l.port, body)
    expect(answer.status).toBe(200)
    const { stdout } = await l.done
    const [file] = readdirSync(out)
    expect(file).toMatch(/-0001-too-large\.json$/)
    expect(readFileSync(join(out, file as string)).equals(body)).toBe(true)
    expect(stdout).toMatch(
      /TOO LARGE \/hook: 5000 bytes, over the 1 KiB limit \(--max-bytes\), saved, not decoded → .*-0001-too-large\.json\n/,
    )
  })

  it('without --out: a body over the limit gets 413 and a line with its size, nothing kept', async () => {
    const l = await listen(['--max-bytes', '100', '--count', '1'])
    const answer = await post(l.port, bytes(3000))
    expect(answer).toEqual({ status: 413, text: 'body too large: over 100 bytes\n' })
    expect((await l.done).stdout).toMatch(
      /TOO LARGE \/hook: 3000 bytes, over the 100 bytes limit \(--max-bytes\), not saved \(use --out DIR\)\n/,
    )
  })

  it('a body cut off mid-way: the bytes that came are saved, flagged "aborted", and said so', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--count', '1'])
    await cutOff(l.port, '{"accountId": 2')
    const { stdout, code } = await l.done
    expect(code).toBe(0)
    const [file] = readdirSync(out)
    expect(file).toMatch(/-0001-aborted\.json$/)
    expect(readFileSync(join(out, file as string), 'utf8')).toBe('{"accountId": 2')
    expect(stdout).toMatch(
      /ABORTED \/cut: the client went away after 15 bytes, partial body saved → .*-0001-aborted\.json\n/,
    )
  })

  it('a body cut off without --out: a line that nothing was saved', async () => {
    const l = await listen(['--count', '1'])
    await cutOff(l.port, 'abc')
    expect((await l.done).stdout).toContain(
      'ABORTED /cut: the client went away after 3 bytes, nothing saved\n',
    )
  })

  it('--count counts every request it answered: 405s and 413s too', async () => {
    const l = await listen(['--max-bytes', '10', '--count', '3'])
    const base = `http://127.0.0.1:${l.port}/`
    expect((await fetch(base)).status).toBe(405)
    expect((await post(l.port, bytes(50))).status).toBe(413)
    expect((await post(l.port, Buffer.from('{}'))).status).toBe(200)
    expect((await l.done).code).toBe(0)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)('stops on %s with exit 0', async (signal) => {
    const l = await listen([])
    l.signal(signal)
    const r = await l.done
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
  })

  it('--host: listens on the address given, and says so when it cannot', async () => {
    const l = await listen(['--host', '127.0.0.1', '--count', '1'])
    expect(l.output()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\//)
    expect((await fetch(`http://127.0.0.1:${l.port}/`)).status).toBe(405)
    const bad = await runCli(['listen', '--port', '0', '--host', '203.0.113.7'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^smartsupp-hook: cannot listen on 203\.0\.113\.7:0: .*EADDRNOTAVAIL/)
  })

  it('a one-message conversation is "1 message", and control characters from the payload are escaped', async () => {
    const l = await listen(['--count', '1'])
    const payload = conversation({ visitorName: 'Eve \u001b[2J\u009b31m' }).visitor('hi').build()
    expect((await post(l.port, Buffer.from(JSON.stringify(payload)))).status).toBe(200)
    const { stdout } = await l.done
    expect(stdout).toContain('conversation 1000: missed, 1 message, Eve \\u001b[2J\\u009b31m')
    expect(RAW_CONTROL.test(stdout)).toBe(false)
  })
})
