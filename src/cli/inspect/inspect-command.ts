import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_SETTLE_MS } from '../../store/export-finished.js'
import { DEFAULT_MAX_BYTES, parseByteSize } from '../byte-size.js'
import { CliError, type ExitCode, errorMessage } from '../cli-error.js'
import { HELP } from '../help-text.js'
import { STORE_OPTIONS } from '../open-store.js'
import { packageVersion } from '../package-version.js'
import { parseCommandArgs, usageError } from '../parse-command-args.js'
import { plural } from '../plural.js'
import { displayLine, type TerminalStyle } from '../terminal-style.js'
import { wholeNumberOption } from '../whole-number-option.js'
import { DeliveryJournal } from './delivery-journal.js'
import { HOOK_PATH, WEBHOOK_PATH } from './delivery-request.js'
import { EventStreamHub } from './event-stream-hub.js'
import type { InspectSession } from './inspect-api-types.js'
import { inspectHandler } from './inspect-routes.js'
import { openInspectStore } from './inspect-store.js'
import { Inspector } from './inspector.js'
import { loadPageAssets } from './page-assets.js'

const DEFAULT_PORT = 8788
/** As `listen`: at most this many bodies kept, and this many bytes in all (1 GiB). */
const DEFAULT_MAX_FILES = 1000
const DEFAULT_MAX_TOTAL_BYTES = 1024 ** 3
/** A never-closed conversation is finished after this long without events: the library's 30 minutes. */
const DEFAULT_QUIET_MS = 30 * 60_000
const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1|\[::1\])$/i

/**
 * `inspect`: a local receiver for both formats with a page that shows every delivery live, with
 * the library's verdicts (signature, decoding, re-delivery), and what became of it in the event
 * store (the conversation's timeline, its export state, the assembled conversation). Loopback
 * only unless `--host` comes with `--token`. Resolves when stopped (Ctrl+C or SIGTERM).
 */
export async function inspectCommand(
  args: readonly string[],
  out: TerminalStyle,
  _err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('inspect', args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    secret: { type: 'string', multiple: true },
    token: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'max-bytes': { type: 'string' },
    'max-files': { type: 'string' },
    'max-total': { type: 'string' },
    'settle-ms': { type: 'string' },
    'quiet-ms': { type: 'string' },
    export: { type: 'boolean' },
    ...STORE_OPTIONS,
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.inspect}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw usageError('inspect', `unexpected argument ${JSON.stringify(positionals[0])}`)
  const number = (option: string, text: string | undefined, fallback: number, min: number, max: number) =>
    text === undefined ? fallback : wholeNumberOption('inspect', option, text, min, max)
  const port = number('--port', values.port, DEFAULT_PORT, 0, 65535)
  const maxBytes =
    values['max-bytes'] === undefined
      ? DEFAULT_MAX_BYTES
      : parseByteSize('inspect', '--max-bytes', values['max-bytes'])
  const maxFiles = number('--max-files', values['max-files'], DEFAULT_MAX_FILES, 1, Number.MAX_SAFE_INTEGER)
  const maxTotal =
    values['max-total'] === undefined
      ? DEFAULT_MAX_TOTAL_BYTES
      : parseByteSize('inspect', '--max-total', values['max-total'])
  const settleMs = number('--settle-ms', values['settle-ms'], DEFAULT_SETTLE_MS, 0, 2_147_483_647)
  const quietMs =
    values['quiet-ms'] === 'none'
      ? null
      : number('--quiet-ms', values['quiet-ms'], DEFAULT_QUIET_MS, 1, 2_147_483_647)
  const secrets = values.secret ?? []
  if (secrets.some((s) => s === '')) throw usageError('inspect', '--secret must not be empty')
  if (values.token === '') throw usageError('inspect', '--token must not be empty')
  const token = values.token ?? null
  const host = values.host ?? '127.0.0.1'
  const loopback = LOOPBACK.test(host)
  if (!loopback && token === null) {
    throw usageError(
      'inspect',
      `--host ${host} serves the page beyond this machine: give --token too, which the page, its API and the POST hook URL then need`,
    )
  }
  if (values.store === '') throw usageError('inspect', '--store must not be empty')
  // On a store of yours, your receivers export; inspect only shows the states, unless told to.
  const exports = values.store === undefined || values.store === 'memory' || values.export === true

  // Before anything is opened: a missing page is a broken install, said at once.
  const assets = await loadPageAssets()
  let journal: DeliveryJournal
  try {
    journal = await DeliveryJournal.open(values.out ?? null, { maxFiles, maxTotal })
  } catch (e) {
    throw new CliError(`cannot use ${values.out} for the deliveries: ${errorMessage(e)}`)
  }
  const opened = await openInspectStore({
    store: values.store ?? null,
    tablePrefix: values['table-prefix'],
    out: values.out ?? null,
  })
  const hub = new EventStreamHub()
  let inspector: Inspector
  try {
    inspector = new Inspector(
      { secrets, token, maxBytes, settleMs, quietMs, sweepIntervalMs: 1000, exports },
      journal,
      opened.store,
      hub,
      out,
    )
  } catch (e) {
    await opened.close()
    throw e
  }
  const actionToken = token ?? randomBytes(24).toString('hex')
  let base = ''
  const session = (): InspectSession => ({
    actionToken,
    version: packageVersion(),
    secretCount: secrets.length,
    tokenRequired: token !== null,
    store: opened.where,
    out: values.out ?? null,
    settleMs,
    quietMs,
    exports,
    webhookUrl: `${base}${WEBHOOK_PATH}`,
    hookUrl: `${base}${HOOK_PATH}${token === null ? '' : '?token=***'}`,
    limits: { maxBytes, maxFiles, maxTotal },
    serverNow: new Date().toISOString(),
  })
  const encoder = new TextEncoder()
  const server = createServer(
    inspectHandler({
      inspector,
      hub,
      assets,
      access: {
        token: token === null ? null : encoder.encode(token),
        actionToken: encoder.encode(actionToken),
        loopbackHostOnly: loopback,
      },
      session,
    }),
  )
  const stopped = new Promise<void>((resolve) => server.on('close', resolve))
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(new CliError(`cannot listen on ${host}:${port}: ${errorMessage(e)}`)),
      )
      server.listen(port, host, resolve)
    })
  } catch (e) {
    await opened.close()
    throw e
  }
  const stop = () => {
    server.close()
    hub.close()
    server.closeIdleConnections()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  inspector.startWatching()
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  base = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`
  const pageUrl = `${base}/${token === null ? '' : `?token=${encodeURIComponent(token)}`}`
  const restored = journal.list().length
  const lines = [
    `inspect: open ${pageUrl}`,
    `  webhooks   POST ${base}${WEBHOOK_PATH}  ${secrets.length === 0 ? out.yellow('no --secret: signatures are not verified and nothing is stored') : `verified with ${plural(secrets.length, 'secret')}`}`,
    `  POST hook  POST ${base}${HOOK_PATH}${token === null ? '' : '?token=<--token>'}`,
    `  store      ${displayLine(opened.where)}${opened.notice === null ? '' : ` (${opened.notice})`}${exports ? '' : '; finished conversations are left to your receivers to export (--export: export them here)'}`,
    `  kept       ${values.out === undefined ? 'in memory (give --out DIR to keep deliveries across restarts)' : displayLine(values.out)}${restored === 0 ? '' : `, ${restored} earlier ${restored === 1 ? 'delivery' : 'deliveries'} restored`}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  await stopped
  process.off('SIGINT', stop)
  process.off('SIGTERM', stop)
  inspector.stop()
  await opened.close()
  return 0
}
