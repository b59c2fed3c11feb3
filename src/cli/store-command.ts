import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { zonedTimeFormat } from '../helpers/zoned-time-format.js'
import { summary, transcript } from '../index.js'
import type { AssembledConversation } from '../model/conversation.js'
import { assembleStored } from '../store/assemble-stored.js'
import type { ConversationExportState, StoredConversation, StoredEvent } from '../store/event-store.js'
import { makeDirectory } from '../store/make-directory.js'
import { storedConversationId } from '../store/storable-text.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { helpOf } from './help-text.js'
import { type OpenedStore, openStore, STORE_OPTIONS } from './open-store.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { shellWord } from './shell-word.js'
import { summaryFacts } from './show-command.js'
import { displayLine, printable, type TerminalStyle } from './terminal-style.js'
import { wholeNumberOption } from './whole-number-option.js'

const STATES: readonly ConversationExportState[] = ['open', 'pending', 'claimed', 'exported', 'failed']
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1_000_000

/**
 * `store list|show|poisoned`: what a receiver's event store holds, read from its PGlite directory
 * or PostgreSQL URL (`--store` or SMARTSUPP_STORE). Nothing is changed, except that `poisoned
 * --out` writes files.
 */
export async function storeCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('store', args, {
    ...STORE_OPTIONS,
    state: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
  })
  if (values.help === true) {
    // `store list --help` is list's help; `store --help` (or an unknown command) the overview.
    process.stdout.write(`${helpOf('store', positionals[0])}\n`)
    return 0
  }
  const [action, ...rest] = positionals
  if (action !== 'list' && action !== 'show' && action !== 'poisoned') {
    throw usageError(
      'store',
      action === undefined
        ? 'give what to do: list, show <conversationId> or poisoned'
        : `no store command ${JSON.stringify(action)}; one of list, show <conversationId>, poisoned`,
    )
  }
  const id = action === 'show' ? rest.shift() : undefined
  if (action === 'show' && (id === undefined || id === ''))
    throw usageError('store', 'show needs the conversation id: store show <conversationId>')
  if (rest.length > 0) throw usageError('store', `unexpected argument ${JSON.stringify(rest[0])}`)
  const state = values.state
  if (state !== undefined && (action !== 'list' || !STATES.includes(state as ConversationExportState))) {
    throw usageError(
      'store',
      action !== 'list'
        ? '--state is an option of store list (see smartsupp-hook store list --help)'
        : `--state must be one of ${STATES.join(', ')}, got ${JSON.stringify(state)}`,
    )
  }
  if (values.out !== undefined && action !== 'poisoned')
    throw usageError('store', '--out is an option of store poisoned')
  if (values.limit !== undefined && action === 'show')
    throw usageError('store', '--limit is an option of list and poisoned')
  const limit =
    values.limit === undefined
      ? DEFAULT_LIMIT
      : wholeNumberOption('store', '--limit', values.limit, 1, MAX_LIMIT)
  const json = values.json === true

  const opened = await openStore('store', values)
  try {
    if (action === 'list')
      return await list(opened, state as ConversationExportState | undefined, limit, json, out)
    if (action === 'show') return await show(opened, id as string, json, out, err)
    return await poisoned(opened, limit, values.out ?? null, json, out)
  } catch (e) {
    if (e instanceof CliError) throw e
    throw new CliError(`the store at ${opened.where} failed: ${errorMessage(e)}`)
  } finally {
    await opened.close()
  }
}

async function list(
  opened: OpenedStore,
  state: ConversationExportState | undefined,
  limit: number,
  json: boolean,
  out: TerminalStyle,
): Promise<ExitCode> {
  const conversations = await opened.store.conversations({ limit, ...(state === undefined ? {} : { state }) })
  if (json) {
    process.stdout.write(`${JSON.stringify(conversations, null, 2)}\n`)
    return 0
  }
  const rows = conversations.map((c) => [
    displayLine(c.conversationId),
    c.state,
    String(c.revision),
    String(c.eventCount),
    time(c.lastEventAt),
    time(c.lastReceivedAt),
    String(c.attempts),
    note(c),
  ])
  const header = [
    'CONVERSATION',
    'STATE',
    'REVISION',
    'EVENTS',
    'LAST EVENT',
    'LAST RECEIVED',
    'ATTEMPTS',
    'NOTE',
  ]
  if (rows.length > 0) process.stdout.write(table(header, rows, out, new Set([2, 3, 6])))
  const which = state === undefined ? '' : ` ${state}`
  const more =
    conversations.length === limit ? ` (the ${limit} most recently received: raise --limit for more)` : ''
  process.stdout.write(
    `${plural(conversations.length, 'conversation')}${which} in ${displayLine(opened.where)}${more}\n`,
  )
  return 0
}

/** What else is worth a glance: why it failed and how to retry, the close, the last export, late events. */
function note(c: StoredConversation): string {
  const parts: string[] = []
  if (c.state === 'failed') {
    parts.push(
      `failed after ${c.failures} ${c.failures === 1 ? 'try' : 'tries'}: ${c.lastError ?? 'unknown error'}; retry: smartsupp-hook export --retry ${shellWord(c.conversationId)}`,
    )
  } else if (c.failures > 0 && c.lastError !== null) {
    parts.push(`${c.failures} failed ${c.failures === 1 ? 'try' : 'tries'}: ${c.lastError}`)
  }
  if (c.closedAt !== null && c.revision === 0) parts.push(`closed ${time(c.closedAt)}`)
  if (c.exportedAt !== null) parts.push(`revision ${c.revision} exported ${time(c.exportedAt)}`)
  if (c.eventsAfterExport > 0) {
    parts.push(`${plural(c.eventsAfterExport, 'event')} since: revision ${c.revision + 1} follows`)
  }
  return displayLine(parts.join('; '))
}

async function show(
  opened: OpenedStore,
  id: string,
  json: boolean,
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const conversation = await findConversation(opened, id)
  if (conversation === null) {
    throw new CliError(
      `no conversation ${JSON.stringify(id)} in ${opened.where} (see smartsupp-hook store list)`,
      1,
    )
  }
  const events = await opened.store.events(conversation.conversationId)
  let assembled: AssembledConversation | null = null
  let failure: string | null = null
  try {
    assembled = assembleStored(conversation.conversationId, events, 'lenient')
  } catch (e) {
    failure = errorMessage(e)
  }
  if (json) {
    const value = {
      conversation,
      events: events.map(eventFacts),
      summary: assembled === null ? null : summary(assembled),
      transcript: assembled === null ? null : transcript(assembled, { format: 'text' }),
      assemblyError: failure,
    }
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
    return failure === null ? 0 : 1
  }
  const facts: [string, string][] = [
    ['state', conversation.state],
    ['account', conversation.accountId ?? 'unknown'],
    ['events', String(conversation.eventCount)],
    ['first event', time(conversation.firstEventAt)],
    ['last event', time(conversation.lastEventAt)],
    ['last received', time(conversation.lastReceivedAt)],
    ['closed', time(conversation.closedAt)],
    ['revision', `${conversation.revision}${conversation.revision === 0 ? ' (never exported)' : ''}`],
    ['exported', time(conversation.exportedAt)],
    ['after export', plural(conversation.eventsAfterExport, 'event')],
    ['attempts', String(conversation.attempts)],
    ['failed tries', `${conversation.failures} in a row`],
    [
      'failed',
      conversation.failedAt === null
        ? '-'
        : `${time(conversation.failedAt)} (retry: smartsupp-hook export --retry ${shellWord(conversation.conversationId)})`,
    ],
    ['last error', conversation.lastError ?? 'none'],
  ]
  const lines = [
    out.bold(`Stored conversation ${printable(id)}`),
    ...factLines(facts, out),
    '',
    out.bold('Events'),
  ]
  const rows = events.map((e) => [
    time(e.occurredAt),
    displayLine(e.event ?? '(unreadable)'),
    displayLine(e.key),
    plural(e.body.length, 'byte'),
    e.poisoned === null ? '' : `poisoned: ${displayLine(e.poisoned)}`,
  ])
  lines.push(
    rows.length === 0
      ? '  none'
      : table(['TIME', 'EVENT', 'KEY', 'SIZE', ''], rows, out, new Set([3])).trimEnd(),
  )
  if (assembled !== null) {
    const utc = zonedTimeFormat('UTC', '--tz')
    lines.push(
      '',
      out.bold('Summary'),
      ...factLines(summaryFacts(assembled, utc), out),
      '',
      out.bold('Transcript'),
      printable(transcript(assembled, { format: 'text', timeZone: 'UTC' })),
    )
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  if (failure !== null) {
    process.stderr.write(`${err.red('error')} ${displayLine(failure)}\n`)
    return 1
  }
  return 0
}

/** A conversation by the id `store list` shows, or by its real id when the store keeps it escaped. */
export async function findConversation(opened: OpenedStore, id: string): Promise<StoredConversation | null> {
  const exact = await opened.store.conversation(id)
  if (exact !== null) return exact
  const stored = storedConversationId(id)
  return stored === id ? null : opened.store.conversation(stored)
}

async function poisoned(
  opened: OpenedStore,
  limit: number,
  dir: string | null,
  json: boolean,
  out: TerminalStyle,
): Promise<ExitCode> {
  const events = await opened.store.poisoned(limit)
  const files = new Map<StoredEvent, string>()
  if (dir !== null) {
    try {
      await makeDirectory(dir)
      for (const e of events) {
        const file = poisonedFileName(e)
        // The exact bytes, so the file can be replayed (smartsupp-hook replay) once they decode.
        await writeFile(join(dir, file), e.body)
        files.set(e, file)
      }
    } catch (e) {
      throw new CliError(`cannot write to ${dir}: ${errorMessage(e)}`)
    }
  }
  if (json) {
    const value = events.map((e) => ({ ...eventFacts(e), file: files.get(e) ?? null }))
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
    return 0
  }
  for (const e of events) {
    const file = files.get(e)
    process.stdout.write(
      `${out.red('poisoned')} received ${time(e.receivedAt)}  ${plural(e.body.length, 'byte')}  ${displayLine(e.key)}\n  ${displayLine(e.poisoned ?? '')}${file === undefined ? '' : `\n  → ${displayLine(join(dir as string, file))}`}\n`,
    )
  }
  const more = events.length === limit ? ` (the ${limit} most recent: raise --limit for more)` : ''
  process.stdout.write(`${plural(events.length, 'poisoned event')} in ${displayLine(opened.where)}${more}\n`)
  return 0
}

/** `<received time>-poisoned-<hash>.json`: names sort by arrival, so `replay` sends them in that order. */
function poisonedFileName(e: StoredEvent): string {
  const hash = e.key.slice(e.key.lastIndexOf(':') + 1).slice(0, 16)
  return `${e.receivedAt.toISOString().replace(/[:.]/g, '-')}-poisoned-${hash}.json`
}

/** An event as printed in JSON: what it is, not its bytes. */
function eventFacts(e: StoredEvent) {
  return {
    event: e.event,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    key: e.key,
    bytes: e.body.length,
    closes: e.closes,
    poisoned: e.poisoned,
  }
}

function time(date: Date | null): string {
  return date === null ? '-' : date.toISOString()
}

function factLines(facts: readonly [string, string][], out: TerminalStyle): string[] {
  const width = Math.max(...facts.map(([k]) => k.length))
  return facts.map(([k, v]) => `  ${out.dim(k.padEnd(width))}  ${printable(v)}`)
}

/** Rows under a dimmed header, columns padded to their widest cell; `right` columns are right-aligned. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  out: TerminalStyle,
  right: ReadonlySet<number> = new Set(),
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return `${out.dim(line(header))}\n${rows.map((r) => `${line(r)}\n`).join('')}`
}
