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

interface Answer {
  readonly status: number
  readonly text: string
  readonly connection: string | undefined
}

/** POSTs `body` (with a Content-Length) and resolves with the status, the answer's text and its Connection header. */
function post(port: number, body: Buffer, path = '/hook'): Promise<Answer> {
  return postChunked(port, [body], path, body.length)
}

/** POSTs `chunks` one by one (chunked, unless `length` is given) and resolves with the answer, even if the server stops reading. */
function postChunked(
  port: number,
  chunks: readonly Buffer[],
  path = '/hook',
  length?: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = length === undefined ? {} : { 'content-length': String(length) }
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (s: string) => {
        text += s
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }))
    })
    let answered = false
    req.on('response', () => {
      answered = true
    })
    req.on('error', (e) => {
      if (!answered) reject(e)
    })
    const next = (i: number) => {
      const chunk = chunks[i]
      if (chunk === undefined) return req.end()
      req.write(chunk, () => setTimeout(() => next(i + 1), 20))
    }
    next(0)
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
  it.runIf(process.platform === 'linux')(
    '--out a directory that cannot be made (under /proc): exit 2 naming it, no hang',
    async () => {
      const r = await runCli(['listen', '--port', '0', '--out', '/proc/x/captured'])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(
        "smartsupp-hook: cannot create /proc/x/captured: ENOENT: no such file or directory, mkdir '/proc/x'\n",
      )
    },
  )

  it('--out: a body declared over --max-bytes gets 413, is never read, and leaves no file', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--max-bytes', '1KiB', '--count', '1'])
    const answer = await post(l.port, bytes(5000))
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.text)).toEqual({ error: 'Payload too large: the limit is 1 KiB (--max-bytes)' })
    expect(answer.connection).toBe('close')
    const { stdout } = await l.done
    expect(readdirSync(out)).toEqual([])
    expect(stdout).toMatch(
      /TOO LARGE \/hook: 5000 bytes declared, over the 1 KiB limit \(--max-bytes\), not read\n/,
    )
  })

  it('--out: a chunked body that passes --max-bytes gets 413, the connection closes, the partial file is removed', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--max-bytes', '1KiB', '--count', '1'])
    const answer = await postChunked(l.port, [bytes(600), bytes(600), bytes(600), bytes(600)])
    expect(answer.status).toBe(413)
    expect(answer.connection).toBe('close')
    const { stdout } = await l.done
    expect(readdirSync(out)).toEqual([])
    expect(stdout).toMatch(
      /TOO LARGE \/hook: \d+ bytes read, over the 1 KiB limit \(--max-bytes\), nothing kept\n/,
    )
  })

  it('without --out: a body over the limit gets 413 as JSON and a line with its size, nothing kept', async () => {
    const l = await listen(['--max-bytes', '100', '--count', '1'])
    const answer = await post(l.port, bytes(3000))
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      413,
      { error: 'Payload too large: the limit is 100 bytes (--max-bytes)' },
    ])
    expect((await l.done).stdout).toMatch(/TOO LARGE \/hook: 3000 bytes declared, over the 100 bytes limit/)
  })

  it('--token: a request without it is refused 401 unread and nothing saved; ?token= and a path segment pass', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--token', 's3cret-token', '--count', '3'])
    const payload = Buffer.from(JSON.stringify(conversation({ id: 9 }).visitor('hi').build()))
    const refused = await post(l.port, payload, '/hook?token=wrong')
    expect([refused.status, refused.connection, JSON.parse(refused.text)]).toEqual([
      401,
      'close',
      { error: 'Unauthorized: missing or wrong token' },
    ])
    expect((await post(l.port, payload, '/hook?token=s3cret-token')).status).toBe(200)
    expect((await post(l.port, payload, '/hook/s3cret-token')).status).toBe(200)
    const { stdout } = await l.done
    expect(readdirSync(out)).toHaveLength(2)
    expect(stdout).toMatch(/REFUSED \/hook\?token=wrong: missing or wrong token \(--token\), not read\n/)
    expect(stdout).not.toContain('s3cret-token')
  })

  it('answers with the saved file name relative to --out, never a local path', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--count', '1'])
    const payload = Buffer.from(JSON.stringify(conversation({ id: 77 }).visitor('hi').build()))
    const answer = await post(l.port, payload)
    await l.done
    const saved = (JSON.parse(answer.text) as { saved: string }).saved
    expect(saved).toMatch(/^[\dT-]+Z-0001-conversation-77\.json$/)
    expect(answer.text).not.toContain(out)
    expect(readdirSync(out)).toEqual([saved])
  })

  it('--max-files: once n bodies are saved, the next gets 507 unread and nothing more is written', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--max-files', '2', '--count', '3'])
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await post(l.port, bytes(10))).status)
    await l.done
    expect(statuses).toEqual([200, 200, 507])
    expect(readdirSync(out)).toHaveLength(2)
  })

  it('--max-total: a body that would pass the total gets 507 and its partial file is removed', async () => {
    const out = outDir()
    const l = await listen(['--out', out, '--max-total', '1KiB', '--count', '3'])
    const first = await postChunked(l.port, [bytes(400), bytes(400)])
    const second = await postChunked(l.port, [bytes(100), bytes(400)])
    const third = await post(l.port, bytes(10))
    await l.done
    expect([first.status, second.status, third.status]).toEqual([200, 507, 200])
    const files = readdirSync(out)
    expect(files).toHaveLength(2)
    expect(files.map((f) => readFileSync(join(out, f)).length).sort((a, b) => a - b)).toEqual([10, 800])
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
