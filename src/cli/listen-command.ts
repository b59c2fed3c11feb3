import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Conversation, category, parseConversation } from '../index.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { oneLine, printable, type TerminalStyle } from './terminal-style.js'

/** Bodies larger than this are refused with 413: 64 MiB, far above any real conversation. */
const MAX_BODY_BYTES = 64 * 1024 * 1024
const DEFAULT_PORT = 8787

/**
 * `listen`: a local receiver that prints one line per body and, with `--out`, saves each raw body
 * unchanged (undecodable ones too, flagged in the name). Resolves when stopped: Ctrl+C or `--count`.
 */
export async function listenCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('listen', args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    out: { type: 'string', short: 'o' },
    count: { type: 'string' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.listen}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw usageError('listen', `unexpected argument ${JSON.stringify(positionals[0])}`)
  const port = wholeNumber('--port', values.port ?? String(DEFAULT_PORT), 0, 65535)
  const count =
    values.count === undefined ? null : wholeNumber('--count', values.count, 1, Number.MAX_SAFE_INTEGER)
  const host = values.host ?? '127.0.0.1'
  const dir = values.out ?? null
  if (dir !== null) {
    try {
      await mkdir(dir, { recursive: true })
    } catch (e) {
      throw new CliError(`cannot create ${dir}: ${errorMessage(e)}`)
    }
  }

  let received = 0
  let sequence = 0
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      process.stderr.write(`${err.red('error')} ${errorMessage(e)}\n`)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST a conversation here\n')
      return
    }
    const body = await readBody(req)
    if (body === null) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('body too large\n')
      return
    }
    const result = parseConversation(body)
    const decoded = result._tag === 'Right' ? result.right : null
    const file = dir === null ? null : await save(dir, body, decoded, ++sequence)
    const saved = file === null ? '' : ` → ${file}`
    const time = new Date().toISOString().slice(11, 19)
    if (decoded !== null) {
      process.stdout.write(
        `${out.dim(time)} ${out.green('received')} ${printable(describe(decoded))}${saved}\n`,
      )
    } else if (result._tag === 'Left') {
      process.stdout.write(
        `${out.dim(time)} ${out.red('UNDECODABLE')} ${body.length} bytes ${printable(req.url ?? '')}: ${oneLine(result.left.message)}${saved}\n`,
      )
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ received: true, decoded: decoded !== null, saved: file }))
    received++
    if (count !== null && received >= count) stop()
  }

  const stopped = new Promise<void>((resolve) => server.on('close', resolve))
  function stop(): void {
    server.close()
    server.closeIdleConnections()
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new CliError(`cannot listen on ${host}:${port}: ${errorMessage(e)}`)))
    server.listen(port, host, resolve)
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  process.stdout.write(
    `listening on http://${shown}:${address.port}/ (any path)${dir === null ? ', not saving bodies (use --out DIR)' : `, saving bodies to ${dir}`}\n`,
  )
  const onSignal = () => stop()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  await stopped
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  return 0
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(
      'listen',
      `${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    )
  }
  return n
}

/** The whole body, or null when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Writes the body unchanged; the name sorts by arrival and says what it held. */
async function save(dir: string, body: Buffer, c: Conversation | null, sequence: number): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const what = c === null ? 'undecodable' : `conversation-${c.id}`
  const file = join(dir, `${stamp}-${String(sequence).padStart(4, '0')}-${what}.json`)
  await writeFile(file, body, { flag: 'wx' })
  return file
}

function describe(c: Conversation): string {
  const kind = category(c)
  const visitor = c.visitor?.name ?? 'anonymous visitor'
  const warnings = c.warningCount === 0 ? '' : `, ${c.warningCount} warning${c.warningCount === 1 ? '' : 's'}`
  return `conversation ${c.id}: ${kind}, ${c.messages.length} messages, ${visitor}${warnings}`
}
