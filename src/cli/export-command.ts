import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { transcript } from '../index.js'
import type { AssembledConversation } from '../model/conversation.js'
import {
  DEFAULT_LEASE_MS,
  DEFAULT_QUIET_MS,
  DEFAULT_SETTLE_MS,
  defaultRetryDelayMs,
  exportFinished,
  type OnConversationFinished,
} from '../store/export-finished.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { uniqueFileName } from './file-safe.js'
import { HELP } from './help-text.js'
import { jsonText } from './json-text.js'
import { type Handler, loadHandler } from './load-handler.js'
import { openStore, STORE_OPTIONS } from './open-store.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'
import { wholeNumberOption } from './whole-number-option.js'

/** Conversations claimed at a time: each batch is exported within one lease. */
const BATCH = 10
const MAX_MS = 2_147_483_647
/** `--out` files are indented this many levels deep, compact below (deep raw values stay linear in size). */
const OUT_INDENT_DEPTH = 32

/**
 * `export --pending`: exports the conversations that are due (closed and settled, quiet, or a
 * failed export whose retry time passed) with `exportFinished`, through a handler module or into
 * files (`--out`). The store's claims keep it exactly-once alongside running receivers and other
 * `export` runs. 0 when none failed, 1 when some did (they are kept and retried), 2 on usage or store errors.
 */
export async function exportCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('export', args, {
    ...STORE_OPTIONS,
    pending: { type: 'boolean' },
    handler: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'quiet-ms': { type: 'string' },
    'settle-ms': { type: 'string' },
    'lease-ms': { type: 'string' },
    limit: { type: 'string' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.export}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw usageError('export', `unexpected argument ${JSON.stringify(positionals[0])}`)
  if (values.pending !== true) {
    throw usageError(
      'export',
      'give --pending: export every conversation that is due (closed, quiet or failed earlier)',
    )
  }
  if ((values.handler === undefined) === (values.out === undefined)) {
    throw usageError(
      'export',
      'give --handler <module> (its default export is called with each conversation) or --out <dir> (writes <id>.json and <id>.txt), one of them',
    )
  }
  const quietMs =
    values['quiet-ms'] === undefined
      ? DEFAULT_QUIET_MS
      : values['quiet-ms'] === 'none'
        ? null
        : wholeNumberOption('export', '--quiet-ms', values['quiet-ms'], 1, MAX_MS)
  const settleMs =
    values['settle-ms'] === undefined
      ? DEFAULT_SETTLE_MS
      : wholeNumberOption('export', '--settle-ms', values['settle-ms'], 0, MAX_MS)
  const leaseMs =
    values['lease-ms'] === undefined
      ? DEFAULT_LEASE_MS
      : wholeNumberOption('export', '--lease-ms', values['lease-ms'], 1, MAX_MS)
  const limit =
    values.limit === undefined
      ? Number.POSITIVE_INFINITY
      : wholeNumberOption('export', '--limit', values.limit, 1, Number.MAX_SAFE_INTEGER)

  const handler =
    values.handler !== undefined
      ? await loadHandler(values.handler)
      : await filesHandler(values.out as string)
  const attempts = new Map<string, number>()
  const onConversationFinished: OnConversationFinished = async (conversation, context) => {
    attempts.set(context.claim.conversationId, context.attempt)
    await handler.onConversationFinished(conversation, context)
  }

  const opened = await openStore('export', values)
  let exported = 0
  let failed = 0
  try {
    while (exported + failed < limit) {
      let report: Awaited<ReturnType<typeof exportFinished>>
      try {
        report = await exportFinished({
          store: opened.store,
          onConversationFinished,
          quietMs,
          settleMs,
          leaseMs,
          limit: Math.min(BATCH, limit - exported - failed),
          // Failures are reported below, one line each, from the report.
          onError: () => undefined,
        })
      } catch (e) {
        throw new CliError(`the store at ${opened.where} failed: ${errorMessage(e)}`)
      }
      for (const id of report.exported) {
        process.stdout.write(`${out.green('exported')} ${displayLine(id)}${attemptNote(attempts.get(id))}\n`)
      }
      for (const { conversationId, error } of report.failed) {
        const attempt = attempts.get(conversationId)
        const retry =
          attempt === undefined ? '' : `; retried after ${Math.round(defaultRetryDelayMs(attempt) / 1000)} s`
        process.stderr.write(
          `${err.red('failed')} ${displayLine(conversationId)}${attemptNote(attempt)}: ${displayLine(error)} (kept${retry})\n`,
        )
      }
      exported += report.exported.length
      failed += report.failed.length
      // A failed one is not claimed again before its retry time, so an empty batch means done.
      if (report.exported.length + report.failed.length === 0) break
    }
  } finally {
    await opened.close()
    await handlerClose(handler)
  }
  if (exported + failed === 0) {
    process.stdout.write(
      `nothing to export in ${displayLine(opened.where)}: no conversation is due (closed and quiet for --settle-ms, open and quiet for --quiet-ms, or failed earlier and past its retry time)\n`,
    )
    return 0
  }
  process.stdout.write(`${plural(exported, 'conversation')} exported, ${failed} failed\n`)
  return failed > 0 ? 1 : 0
}

function attemptNote(attempt: number | undefined): string {
  return attempt === undefined || attempt === 1 ? '' : ` (attempt ${attempt})`
}

async function handlerClose(handler: Handler): Promise<void> {
  if (handler.close === null) return
  try {
    await handler.close()
  } catch (e) {
    process.stderr.write(`smartsupp-hook: the handler's close() failed: ${displayLine(errorMessage(e))}\n`)
  }
}

/** `--out`: each conversation as `<id>.json` (the assembled conversation, events with their raw values) and `<id>.txt`. */
async function filesHandler(dir: string): Promise<Handler> {
  try {
    await mkdir(dir, { recursive: true })
  } catch (e) {
    throw new CliError(`cannot create ${dir}: ${errorMessage(e)}`)
  }
  return {
    close: null,
    async onConversationFinished(conversation: AssembledConversation) {
      const name = uniqueFileName(conversation.id)
      // Not JSON.stringify: raw values nested thousands of levels deep would overflow its stack
      // and fail this export on every retry. Indented as far as a conversation's own fields go.
      const json = `${jsonText(conversation, 2, OUT_INDENT_DEPTH)}\n`
      // Written aside and renamed, so a file is whole or absent; a failure here is retried.
      await writeWhole(join(dir, `${name}.json`), json)
      const text = transcript(conversation, { format: 'text', timeZone: 'UTC' })
      await writeWhole(join(dir, `${name}.txt`), text.endsWith('\n') ? text : `${text}\n`)
    },
  }
}

async function writeWhole(path: string, text: string): Promise<void> {
  const part = `${path}.${process.pid}.part`
  await writeFile(part, text)
  await rename(part, path)
}
