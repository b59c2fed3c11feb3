import { readFile, rename } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  type Conversation,
  category,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
} from '../index.js'
import { tokenInUrl } from '../receive/token-in-url.js'
import { makeDirectory } from '../store/make-directory.js'
import { DEFAULT_MAX_BYTES, formatBytes, parseByteSize } from './byte-size.js'
import { verdictFlag } from './capture-verdict.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { decodeBody } from './decode-body.js'
import { fileSafe } from './file-safe.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { byteBudget, type ReceivedBody, receiveToFile } from './receive-to-file.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'
import { webhookEventLine, webhookEventSummary } from './webhook-event-summary.js'

const DEFAULT_PORT = 8787
/** At most this many bodies are saved with --out unless --max-files says otherwise. */
const DEFAULT_MAX_FILES = 1000
/** At most this many bytes are saved in all with --out unless --max-total says otherwise: 1 GiB. */
const DEFAULT_MAX_TOTAL_BYTES = 1024 ** 3
/**
 * At most this many bytes of bodies are held in memory at once, across concurrent uploads, unless
 * --max-memory says otherwise (or --max-bytes is larger): 256 MiB, four bodies of the default
 * --max-bytes. A body that would pass it is answered 503 (try again), not held.
 */
const DEFAULT_MAX_MEMORY_BYTES = 256 * 1024 ** 2
const CLOSE = { connection: 'close' } as const

/**
 * `listen`: a local receiver that prints one line per body and, with `--out`, streams each raw body
 * unchanged to a file (undecodable and cut-off ones too, flagged in the name). Safe to put behind a
 * tunnel: `--token` refuses other senders unread (401), a body over `--max-bytes` is refused (413,
 * connection closed, nothing kept), `--max-files` and `--max-total` bound the disk (507), and
 * answers name saved files relative to `--out`. Resolves when stopped: Ctrl+C, SIGTERM or `--count`.
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
    'max-files': { type: 'string' },
    'max-total': { type: 'string' },
    'max-memory': { type: 'string' },
    token: { type: 'string' },
    secret: { type: 'string' },
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
  const maxFiles =
    values['max-files'] === undefined
      ? DEFAULT_MAX_FILES
      : wholeNumber('--max-files', values['max-files'], 1, Number.MAX_SAFE_INTEGER)
  const maxTotal =
    values['max-total'] === undefined
      ? DEFAULT_MAX_TOTAL_BYTES
      : parseByteSize('listen', '--max-total', values['max-total'])
  const maxMemory =
    values['max-memory'] === undefined
      ? Math.max(DEFAULT_MAX_MEMORY_BYTES, maxBytes)
      : parseByteSize('listen', '--max-memory', values['max-memory'])
  if (maxMemory < maxBytes) {
    throw usageError(
      'listen',
      `--max-memory (${formatBytes(maxMemory)}) must hold at least one body of --max-bytes (${formatBytes(maxBytes)})`,
    )
  }
  if (values.token === '') throw usageError('listen', '--token must not be empty')
  const token = values.token === undefined ? null : new TextEncoder().encode(values.token)
  if (values.secret === '') throw usageError('listen', '--secret must not be empty')
  const secret = values.secret ?? null
  const host = values.host ?? '127.0.0.1'
  const dir = values.out ?? null
  const shownPath = (file: string) => join(dir as string, file)
  if (dir !== null) {
    try {
      await makeDirectory(dir)
    } catch (e) {
      throw new CliError(`cannot create ${dir}: ${errorMessage(e)}`)
    }
  }

  let answered = 0
  let sequence = 0
  let filesSaved = 0
  const disk = byteBudget(maxTotal)
  const memory = byteBudget(maxMemory)
  let queue: Promise<unknown> = Promise.resolve()
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work)
    queue = run.catch(() => undefined)
    return run
  }
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
    const time = new Date()
    const prefix = `${out.dim(time.toISOString().slice(11, 19))}`
    const where = displayLine(redactToken(req.url ?? '', token))
    const refuse = (status: number, error: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error }))
    }
    if (req.method !== 'POST') {
      req.resume()
      return refuse(405, 'POST a conversation here', { allow: 'POST' })
    }
    if (token !== null && !tokenInUrl(req.url ?? '', token)) {
      process.stdout.write(
        `${prefix} ${out.red('REFUSED')} ${where}: missing or wrong token (--token), not read\n`,
      )
      return refuse(401, 'Unauthorized: missing or wrong token', CLOSE)
    }
    const tooLarge = () =>
      refuse(413, `Payload too large: the limit is ${formatBytes(maxBytes)} (--max-bytes)`, CLOSE)
    const declared = Number(req.headers['content-length'] ?? Number.NaN)
    if (declared > maxBytes) {
      process.stdout.write(
        `${prefix} ${out.red('TOO LARGE')} ${where}: ${plural(declared, 'byte')} declared, over the ${formatBytes(maxBytes)} limit (--max-bytes), not read\n`,
      )
      return tooLarge()
    }
    const busy = () =>
      refuse(503, 'The receiver is holding all the bodies it may at once (--max-memory); try again later', {
        ...CLOSE,
        'retry-after': '1',
      })
    if (declared > maxMemory - memory.used) {
      process.stdout.write(
        `${prefix} ${out.red('BUSY')} ${where}: ${plural(declared, 'byte')} declared, more than the ${formatBytes(maxMemory)} held at once (--max-memory) leaves free now, not read; answered 503\n`,
      )
      return busy()
    }
    let name: string | null = null
    if (dir !== null) {
      if (filesSaved >= maxFiles || disk.used >= maxTotal) {
        process.stdout.write(
          `${prefix} ${out.red('NO ROOM')} ${where}: ${filesSaved >= maxFiles ? `${plural(maxFiles, 'file')} saved (--max-files)` : `${formatBytes(maxTotal)} saved (--max-total)`}, not read\n`,
        )
        return refuse(507, 'The receiver has saved all it may (--max-files or --max-total)', CLOSE)
      }
      filesSaved++
      name = `${fileStamp(time, seq)}-receiving.json`
    }
    const partFile = name === null ? null : join(dir as string, name)
    const body = await receiveToFile(req, maxBytes, partFile, disk, memory)
    try {
      // Verifying and decoding a body makes copies of it (text, parsed values): one body at a
      // time, so what this process holds stays near --max-memory (bodies kept in memory without
      // --out; with --out none is held while it arrives) plus one body's copies.
      await (body.kind === 'whole' ? oneAtATime(() => answerBody(body)) : answerBody(body))
    } finally {
      // The bytes were held from their arrival until the answer: now others may use the room.
      if (body.kind === 'whole') memory.give(body.size)
    }

    async function answerBody(body: ReceivedBody): Promise<void> {
      const saveAs = async (what: string): Promise<string | null> => {
        if (partFile === null) return null
        const file = `${fileStamp(time, seq)}-${what}.json`
        await rename(partFile, join(dir as string, file))
        return file
      }
      if (body.kind === 'too_large' || body.kind === 'no_room' || body.kind === 'no_memory') {
        if (dir !== null) filesSaved--
        const why =
          body.kind === 'too_large'
            ? `over the ${formatBytes(maxBytes)} limit (--max-bytes)`
            : body.kind === 'no_room'
              ? `over the ${formatBytes(maxTotal)} saved in all (--max-total)`
              : `over the ${formatBytes(maxMemory)} held at once (--max-memory) with the bodies still arriving`
        const label = { too_large: 'TOO LARGE', no_room: 'NO ROOM', no_memory: 'BUSY' }[body.kind]
        process.stdout.write(
          `${prefix} ${out.red(label)} ${where}: ${plural(body.size, 'byte')} read, ${why}, nothing kept\n`,
        )
        if (body.kind === 'too_large') return tooLarge()
        if (body.kind === 'no_memory') return busy()
        return refuse(507, 'The receiver has saved all it may (--max-files or --max-total)', CLOSE)
      }
      if (body.kind === 'cut_off') {
        const file = await saveAs('aborted')
        const saved = file === null ? 'nothing saved' : `partial body saved → ${displayLine(shownPath(file))}`
        process.stdout.write(
          `${prefix} ${out.red('ABORTED')} ${where}: the client went away after ${plural(body.size, 'byte')}, ${saved}\n`,
        )
        return
      }
      // With --out the body went to the file only, as it arrived: read back, one body at a time.
      const bytes = body.bytes ?? (await readFile(partFile as string))
      // With --secret every body is verified, and still saved: a wrongly signed body is what one
      // wants to look at when setting up the secret. It is flagged in its name and answered 401.
      const signature =
        secret === null
          ? null
          : await verifyWebhookSignature(bytes, req.headers[WEBHOOK_SIGNATURE_HEADER], secret)
      const refused = signature !== null && !signature.valid
      // The verdict, first in the name after the arrival stamp, where replay reads it: verified-,
      // unsigned- or bad-signature- with --secret; nothing without (no verdict).
      const flag = verdictFlag(
        signature === null
          ? null
          : signature.valid
            ? 'verified'
            : signature.reason === 'missing'
              ? 'unsigned'
              : 'bad_signature',
      )
      const decoded = decodeBody(bytes, 'lenient', 'auto')
      const fileKind =
        decoded.result._tag === 'Left'
          ? 'undecodable'
          : decoded.kind === 'webhook'
            ? `webhook-${fileSafe(decoded.result.right.event)}${webhookObjectId(decoded.result.right)}`
            : `conversation-${decoded.result.right.id}`
      const file = await saveAs(`${flag}${fileKind}`)
      const saved = file === null ? '' : ` → ${displayLine(shownPath(file))}`
      let what: string
      if (decoded.kind === 'webhook' && decoded.result._tag === 'Right') {
        what = webhookEventLine(webhookEventSummary(decoded.result.right))
        const w = decoded.result.right.warningCount
        if (w > 0) what += `, ${plural(w, 'warning')}`
      } else if (decoded.kind === 'conversation' && decoded.result._tag === 'Right') {
        what = describe(decoded.result.right)
      } else {
        what = `${plural(body.size, 'byte')} ${where}: ${decoded.result._tag === 'Left' ? decoded.result.left.message : ''}`
      }
      const undecodable = decoded.result._tag === 'Left'
      if (refused) {
        process.stdout.write(
          `${prefix} ${out.red(signature.reason === 'missing' ? 'UNSIGNED' : 'BAD SIGNATURE')} ${displayLine(what)}: ${displayLine(signature.message.replace(/^smartsupp-hook: /, ''))}; answered 401${saved}\n`,
        )
      } else {
        // Without --secret a signed body is said to be signed, so a forgotten --secret shows.
        const signed = req.headers[WEBHOOK_SIGNATURE_HEADER] !== undefined
        const verified =
          signature !== null ? ', signature valid' : signed ? ', signed (not verified: no --secret)' : ''
        const status = undecodable ? out.red('UNDECODABLE') : out.green('received')
        process.stdout.write(`${prefix} ${status} ${displayLine(what)}${verified}${saved}\n`)
      }
      // The file's name only, relative to --out: the sender learns nothing about this machine's paths.
      const answer = {
        ...(refused
          ? {
              error: `Unauthorized: ${signature.reason === 'missing' ? 'no X-Smartsupp-Hmac signature' : 'wrong X-Smartsupp-Hmac signature'}`,
            }
          : {}),
        received: true,
        decoded: !undecodable,
        saved: file,
        ...(signature === null ? {} : { signature: signature.valid ? 'valid' : signature.reason }),
      }
      res.writeHead(refused ? 401 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    }
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

/** `-<conversation or contact id>` of an event, file-safe, or nothing when it carries none. */
function webhookObjectId(event: WebhookEvent): string {
  const s = webhookEventSummary(event)
  const id =
    s.conversationId ?? (event.known && 'contact' in event.data ? (event.data.contact?.id ?? null) : null)
  return id === null ? '' : `-${fileSafe(id)}`
}

/** The URL as printed: the token, when there is one, replaced by `***` (the terminal may be shared). */
function redactToken(url: string, token: Uint8Array | null): string {
  if (token === null) return url
  const secret = new TextDecoder().decode(token)
  return url.split(secret).join('***').split(encodeURIComponent(secret)).join('***')
}
