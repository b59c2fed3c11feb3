import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { transcript } from '../index.js'
import type { AssembledConversation } from '../model/conversation.js'
import type { EventStore } from '../store/event-store.js'
import {
  DEFAULT_LEASE_MS,
  DEFAULT_QUIET_MS,
  DEFAULT_SETTLE_MS,
  defaultRetryDelayMs,
  type ExportReport,
  exportFinished,
  type OnConversationFinished,
} from '../store/export-finished.js'
import { makeDirectory } from '../store/make-directory.js'
import { storedConversationId } from '../store/storable-text.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { uniqueFileName } from './file-safe.js'
import { HELP } from './help-text.js'
import { jsonText } from './json-text.js'
import { type Handler, loadHandler } from './load-handler.js'
import { openStore, STORE_OPTIONS } from './open-store.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { shellWord } from './shell-word.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'
import { wholeNumberOption } from './whole-number-option.js'

/** Conversations claimed, and exported concurrently, at a time. */
const BATCH = 10
const MAX_MS = 2_147_483_647
/** `--out` files are indented this many levels deep, compact below (deep raw values stay linear in size). */
const OUT_INDENT_DEPTH = 32

/**
 * `export --pending`: exports the conversations that are due (closed and settled, quiet, a failed
 * try whose retry time passed, or a new revision) with `exportFinished`, through a handler module
 * or into files (`--out`). The store's claims keep it once per revision alongside running
 * receivers and other `export` runs. `export --retry <id>…|--all-failed` re-opens failed
 * conversations first, and exports them now when a handler or `--out` is given. 0 when none
 * failed, 1 when some did (they are kept and retried), 2 on usage or store errors.
 */
export async function exportCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('export', args, {
    ...STORE_OPTIONS,
    pending: { type: 'boolean' },
    retry: { type: 'boolean' },
    'all-failed': { type: 'boolean' },
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
  const retry = values.retry === true
  if (retry && values.pending === true)
    throw usageError('export', 'give --pending or --retry, not both (--retry exports only what it re-opens)')
  if (!retry && values['all-failed'] === true)
    throw usageError('export', '--all-failed goes with --retry: export --retry --all-failed')
  if (retry && positionals.length > 0 === (values['all-failed'] === true)) {
    throw usageError(
      'export',
      positionals.length > 0
        ? 'give the conversation ids or --all-failed, not both'
        : 'give the failed conversations to retry: export --retry <conversationId>… or --retry --all-failed',
    )
  }
  if (!retry && positionals.length > 0)
    throw usageError('export', `unexpected argument ${JSON.stringify(positionals[0])}`)
  if (!retry && values.pending !== true) {
    throw usageError(
      'export',
      'give --pending: export every conversation that is due (closed, quiet or failed earlier), or --retry <id>|--all-failed to re-open failed ones',
    )
  }
  if (values.handler !== undefined && values.out !== undefined) {
    throw usageError(
      'export',
      'give --handler <module> (its default export is called with each conversation) or --out <dir> (writes <id>.json and <id>.txt), one of them',
    )
  }
  if (!retry && values.handler === undefined && values.out === undefined) {
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
      : values.out !== undefined
        ? await filesHandler(values.out)
        : null
  const tries = new Map<string, { attempt: number; revision: number }>()
  const onConversationFinished: OnConversationFinished = async (conversation, context) => {
    tries.set(context.claim.conversationId, { attempt: context.attempt, revision: context.revision })
    await handler?.onConversationFinished(conversation, context)
  }

  const opened = await openStore('export', values)
  let exported = 0
  let failed = 0
  const print = (report: ExportReport) => {
    for (const id of report.exported) {
      process.stdout.write(`${out.green('exported')} ${displayLine(id)}${tryNote(tries.get(id))}\n`)
    }
    for (const { conversationId, error, gaveUp } of report.failed) {
      const tried = tries.get(conversationId)
      const next = gaveUp
        ? `now failed, not retried until: smartsupp-hook export --retry ${shellWord(conversationId)}`
        : tried === undefined
          ? 'kept'
          : `kept; retried after ${Math.round(defaultRetryDelayMs(tried.attempt) / 1000)} s`
      process.stderr.write(
        `${err.red('failed')} ${displayLine(conversationId)}${tryNote(tried)}: ${displayLine(error)} (${displayLine(next)})\n`,
      )
    }
    exported += report.exported.length
    failed += report.failed.length
  }
  const settings = {
    store: opened.store,
    onConversationFinished,
    quietMs,
    settleMs,
    leaseMs,
    // Failures are printed from the report, one line each.
    onError: () => undefined,
  }
  try {
    if (retry) {
      const { reopened: ids, notFailed } = await reopen(
        opened.store,
        positionals,
        values['all-failed'] === true,
        out,
        err,
      )
      if (handler === null || ids.length === 0) {
        process.stdout.write(
          ids.length === 0
            ? `no failed conversation to retry in ${displayLine(opened.where)}\n`
            : `${plural(ids.length, 'conversation')} re-opened: running receivers export ${ids.length === 1 ? 'it' : 'them'} on their next sweep (or run export --pending)\n`,
        )
        return notFailed > 0 ? 1 : 0
      }
      failed += notFailed
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH)
        const reports = await Promise.all(
          batch.map((conversationId) =>
            exportFinished({ ...settings, conversationId, limit: 1 }).catch((e: unknown) => {
              throw new CliError(`the store at ${opened.where} failed: ${errorMessage(e)}`)
            }),
          ),
        )
        for (const report of reports) print(report)
      }
    } else {
      while (exported + failed < limit) {
        let report: ExportReport
        try {
          report = await exportFinished({ ...settings, limit: Math.min(BATCH, limit - exported - failed) })
        } catch (e) {
          throw new CliError(`the store at ${opened.where} failed: ${errorMessage(e)}`)
        }
        print(report)
        // A failed one is not claimed again before its retry time, so an empty batch means done.
        if (report.exported.length + report.failed.length === 0) break
      }
    }
  } finally {
    await opened.close()
    if (handler !== null) await handlerClose(handler)
  }
  if (exported + failed === 0) {
    process.stdout.write(
      `nothing to export in ${displayLine(opened.where)}: no conversation is due (closed and quiet for --settle-ms, open and quiet for --quiet-ms, failed earlier and past its retry time, or with events since its last export)\n`,
    )
    return 0
  }
  process.stdout.write(`${plural(exported, 'conversation')} exported, ${failed} failed\n`)
  return failed > 0 ? 1 : 0
}

/**
 * `--retry`: re-opens the named failed conversations (by the id `store list` shows, or the real
 * one), or all of them; prints one line each, and one per named id that is not failed.
 */
async function reopen(
  store: EventStore,
  ids: readonly string[],
  all: boolean,
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<{ readonly reopened: readonly string[]; readonly notFailed: number }> {
  const reopened: string[] = []
  let notFailed = 0
  const before = new Map<string, string | null>()
  if (all) {
    for (const c of await store.conversations({ state: 'failed', limit: 1_000_000 })) {
      before.set(c.conversationId, c.lastError)
    }
    reopened.push(...(await store.retryFailed({ all: true })))
  } else {
    for (const id of ids) {
      const conversation =
        (await store.conversation(id)) ?? (await store.conversation(storedConversationId(id)))
      if (conversation === null || conversation.state !== 'failed') {
        process.stderr.write(
          `${err.red('not retried')} ${displayLine(id)}: ${conversation === null ? 'no such conversation in the store (see smartsupp-hook store list)' : `its state is ${conversation.state}; --retry re-opens failed conversations only`}\n`,
        )
        notFailed++
        continue
      }
      before.set(conversation.conversationId, conversation.lastError)
      reopened.push(...(await store.retryFailed({ conversationId: conversation.conversationId })))
    }
  }
  for (const id of reopened) {
    const last = before.get(id)
    process.stdout.write(
      `${out.green('re-opened')} ${displayLine(id)}${last === undefined || last === null ? '' : ` (last error: ${displayLine(last)})`}\n`,
    )
  }
  return { reopened, notFailed }
}

function tryNote(tried: { attempt: number; revision: number } | undefined): string {
  if (tried === undefined) return ''
  const notes = [
    ...(tried.revision > 1 ? [`revision ${tried.revision}`] : []),
    ...(tried.attempt > 1 ? [`attempt ${tried.attempt}`] : []),
  ]
  return notes.length === 0 ? '' : ` (${notes.join(', ')})`
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
    await makeDirectory(dir)
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
