import { mkdir, rename } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Conversation, category, parseConversation } from '../index.js'
import { DEFAULT_MAX_BYTES, formatBytes, parseByteSize } from './byte-size.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { receiveToFile } from './receive-to-file.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'

const DEFAULT_PORT = 8787

/**
 * `listen`: a local receiver that prints one line per body and, with `--out`, streams each raw body
 * unchanged to a file (undecodable, too large and cut-off ones too, flagged in the name); bodies up
 * to `--max-bytes` are decoded. Resolves when stopped: Ctrl+C, SIGTERM or `--count` requests.
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
    'max-bytes': { type: 'string' },
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
  const maxBytes =
    values['max-bytes'] === undefined
      ? DEFAULT_MAX_BYTES
      : parseByteSize('listen', '--max-bytes', values['max-bytes'])
  const host = values.host ?? '127.0.0.1'
  const dir = values.out ?? null
  if (dir !== null) {
    try {
      await mkdir(dir, { recursive: true })
    } catch (e) {
      throw new CliError(`cannot create ${dir}: ${errorMessage(e)}`)
    }
  }

  let answered = 0
  let sequence = 0
  const server = createServer((req, res) => {
    handle(req, res, ++sequence)
      .catch((e: unknown) => {
        process.stderr.write(`${err.red('error')} ${displayLine(errorMessage(e))}\n`)
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end()
      })
      .finally(() => {
        // Every request counts: answered (any status) or cut off by the client.
        answered++
        if (count !== null && answered >= count) stop()
      })
  })

  async function handle(req: IncomingMessage, res: ServerResponse, seq: number): Promise<void> {
    if (req.method !== 'POST') {
      req.resume()
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST a conversation here\n')
      return
    }
    const time = new Date()
    const prefix = `${out.dim(time.toISOString().slice(11, 19))}`
    const where = displayLine(req.url ?? '')
    const partFile = dir === null ? null : join(dir, `${fileStamp(time, seq)}-receiving.json`)
    const body = await receiveToFile(req, maxBytes, partFile)
    const saveAs = async (what: string): Promise<string | null> => {
      if (partFile === null) return null
      const file = join(dir as string, `${fileStamp(time, seq)}-${what}.json`)
      await rename(partFile, file)
      return file
    }
    if (body.kind === 'cut_off') {
      const file = await saveAs('aborted')
      const saved = file === null ? 'nothing saved' : `partial body saved → ${displayLine(file)}`
      process.stdout.write(
        `${prefix} ${out.red('ABORTED')} ${where}: the client went away after ${plural(body.size, 'byte')}, ${saved}\n`,
      )
      return
    }
    if (body.bytes === null) {
      const file = await saveAs('too-large')
      const saved = file === null ? 'not saved (use --out DIR)' : `saved, not decoded → ${displayLine(file)}`
      process.stdout.write(
        `${prefix} ${out.red('TOO LARGE')} ${where}: ${plural(body.size, 'byte')}, over the ${formatBytes(maxBytes)} limit (--max-bytes), ${saved}\n`,
      )
      if (file === null) {
        res
          .writeHead(413, { 'content-type': 'text/plain' })
          .end(`body too large: over ${formatBytes(maxBytes)}\n`)
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ received: true, decoded: false, saved: file }))
      }
      return
    }
    const result = parseConversation(body.bytes)
    const decoded = result._tag === 'Right' ? result.right : null
    const file = await saveAs(decoded === null ? 'undecodable' : `conversation-${decoded.id}`)
    const saved = file === null ? '' : ` → ${displayLine(file)}`
    if (result._tag === 'Right') {
      process.stdout.write(
        `${prefix} ${out.green('received')} ${displayLine(describe(result.right))}${saved}\n`,
      )
    } else {
      process.stdout.write(
        `${prefix} ${out.red('UNDECODABLE')} ${plural(body.size, 'byte')} ${where}: ${displayLine(result.left.message)}${saved}\n`,
      )
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ received: true, decoded: decoded !== null, saved: file }))
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
  // Before the line that says it is listening: whoever reads that line may signal at once.
  const onSignal = () => stop()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  process.stdout.write(
    `listening on http://${shown}:${address.port}/ (any path)${dir === null ? ', not saving bodies (use --out DIR)' : `, saving bodies to ${displayLine(dir)}`}\n`,
  )
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

/** The start of a saved file's name: the arrival time and sequence number, so names sort by arrival. */
function fileStamp(time: Date, sequence: number): string {
  return `${time.toISOString().replace(/[:.]/g, '-')}-${String(sequence).padStart(4, '0')}`
}

function describe(c: Conversation): string {
  const kind = category(c)
  const visitor = c.visitor?.name ?? 'anonymous visitor'
  const warnings = c.warningCount === 0 ? '' : `, ${plural(c.warningCount, 'warning')}`
  return `conversation ${c.id}: ${kind}, ${plural(c.messages.length, 'message')}, ${visitor}${warnings}`
}
