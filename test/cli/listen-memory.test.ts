// `listen` bounds the bytes it holds in memory across concurrent uploads (--max-memory): an upload
// that would pass the budget is answered 503 and keeps nothing; the room comes back once the
// bodies held are answered. A real listen process, real sockets.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { type ClientRequest, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Listener, runCli, startListener } from './cli-process.js'

const KiB = 1024
const dirs: string[] = []
const listeners: Listener[] = []
afterEach(() => {
  for (const l of listeners.splice(0)) l.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

interface Answer {
  readonly status: number
  readonly text: string
  readonly headers: Record<string, string | string[] | undefined>
}

/** Starts a POST announcing `length` bytes (or chunked), returning the request and its answer. */
function open(
  port: number,
  length?: number,
  extra: Record<string, string> = {},
): { req: ClientRequest; answer: Promise<Answer> } {
  const headers = { ...(length === undefined ? {} : { 'content-length': String(length) }), ...extra }
  const req = request({ host: '127.0.0.1', port, path: '/up', method: 'POST', headers, agent: false })
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (s: string) => {
        text += s
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }))
    })
    // The server may close the connection while this side still writes: the answer came first.
    req.on('error', (e) => setTimeout(() => reject(e), 1000))
  })
  return { req, answer }
}

const write = (req: ClientRequest, bytes: Buffer) =>
  new Promise<void>((resolve) => req.write(bytes, () => resolve()))

/** Polls until `ready()` holds (the test's own timeout ends a wait that never does). */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** Polls until `count` files listen is streaming bodies into each hold at least `bytes`. */
async function untilReceiving(dir: string, count: number, bytes: number): Promise<void> {
  for (;;) {
    const parts = readdirSync(dir).filter((f) => f.endsWith('-receiving.json'))
    if (parts.length >= count && parts.every((f) => statSync(join(dir, f)).size >= bytes)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('smartsupp-hook listen --max-memory', { timeout: 60_000 }, () => {
  it('without --out: 503 to uploads that would pass the bytes held at once, nothing kept of them; the room comes back once the held body is answered', async () => {
    const l = await startListener(['--max-bytes', '1MiB', '--max-memory', '1MiB'])
    listeners.push(l)

    // A announces 900 KiB and waits for 100 Continue: by then listen has taken A and reserved
    // its 900 KiB of the 1 MiB (it answers 100 Continue as it hands the request over).
    const a = open(l.port, 900 * KiB, { expect: '100-continue' })
    await new Promise<void>((resolve) => a.req.once('continue', () => resolve()))

    // B announces more than is free: 503 at once, unread (its head only is sent, then the answer read).
    const b = open(l.port, 600 * KiB)
    b.req.flushHeaders()
    const busy = await b.answer
    b.req.destroy()
    expect(busy.status).toBe(503)
    expect(JSON.parse(busy.text)).toEqual({
      error: 'The receiver is holding all the bodies it may at once (--max-memory); try again later',
    })
    expect(busy.headers['retry-after']).toBe('1')
    expect(busy.headers.connection).toBe('close')

    // C is chunked (no length): read until it would pass the budget, then refused (503, the
    // connection closed while C may still be writing, so its own side may see only the close).
    const c = open(l.port, undefined, { 'transfer-encoding': 'chunked' })
    c.answer.catch(() => undefined)
    c.req.end(Buffer.alloc(600 * KiB, 0x20))
    await until(() => /BUSY \/up: \d+ bytes read/.test(l.output()))
    // A sends its body: 200.
    a.req.end(Buffer.alloc(900 * KiB, 0x20))
    expect((await a.answer).status).toBe(200)

    // The room is back: D, as large as B, is taken.
    const d = open(l.port, 600 * KiB)
    d.req.end(Buffer.alloc(600 * KiB, 0x20))
    expect((await d.answer).status).toBe(200)

    l.stop()
    const { stdout } = await l.done
    expect(stdout).toMatch(
      /BUSY \/up: 614400 bytes declared, more than the 1 MiB held at once \(--max-memory\) leaves free now, not read; answered 503\n/,
    )
    expect(stdout).toMatch(
      /BUSY \/up: \d+ bytes read, over the 1 MiB held at once \(--max-memory\) with the bodies still arriving, nothing kept\n/,
    )
    expect(stdout.match(/ UNDECODABLE /g)).toHaveLength(2)
  })

  it('with --out: bodies go to their files as they arrive, nothing held, so uploads past --max-memory together are all taken, byte for byte', async () => {
    const out = mkdtempSync(join(tmpdir(), 'smartsupp-listen-memory-'))
    dirs.push(out)
    const l = await startListener(['--out', out, '--max-bytes', '1MiB', '--max-memory', '1MiB'])
    listeners.push(l)
    // Three 700 KiB uploads at once, each held open until all three are in their files.
    const uploads = [0x41, 0x42, 0x43].map((fill) => ({ fill, ...open(l.port, 700 * KiB) }))
    for (const u of uploads) await write(u.req, Buffer.alloc(600 * KiB, u.fill))
    await untilReceiving(out, 3, 600 * KiB)
    for (const u of uploads) u.req.end(Buffer.alloc(100 * KiB, u.fill))
    expect((await Promise.all(uploads.map((u) => u.answer))).map((a) => a.status)).toEqual([200, 200, 200])
    l.stop()
    await l.done
    const files = readdirSync(out).sort()
    expect(files).toHaveLength(3)
    const contents = files.map((f) => readFileSync(join(out, f)))
    expect(contents.map((c) => c.length)).toEqual([700 * KiB, 700 * KiB, 700 * KiB])
    expect(contents.map((c) => c[0]).sort()).toEqual([0x41, 0x42, 0x43])
    expect(contents.every((c) => c.every((byte) => byte === c[0]))).toBe(true)
  })

  it('--max-memory must hold one body of --max-bytes; by default it grows with --max-bytes', async () => {
    const small = await runCli(['listen', '--max-bytes', '2MiB', '--max-memory', '1MiB'])
    expect(small.code).toBe(2)
    expect(small.stderr).toContain('--max-memory (1 MiB) must hold at least one body of --max-bytes (2 MiB)')
    const bad = await runCli(['listen', '--max-memory', 'lots'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--max-memory must be a whole number of bytes')
  })
})
