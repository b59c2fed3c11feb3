import { zonedTimeFormat } from '../helpers/zoned-time-format.js'
import { type Conversation, durations, summary, transcript, type WebhookEvent } from '../index.js'
import { DEFAULT_MAX_BYTES } from './byte-size.js'
import { type ExitCode, errorMessage } from './cli-error.js'
import { decodeBody, parseBodyKindChoice } from './decode-body.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { readInput } from './read-input.js'
import { displayLine, printable, type TerminalStyle } from './terminal-style.js'
import { webhookEventFacts, webhookEventSummary } from './webhook-event-summary.js'

const FORMATS = ['text', 'markdown', 'json'] as const
type ShowFormat = (typeof FORMATS)[number]

/**
 * `show <file|->`: a summary and the transcript of one conversation, or a summary of one webhook
 * event (told apart by `bodyKindOf` unless `--as` says); 1 when it does not decode.
 */
export async function showCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('show', args, {
    format: { type: 'string' },
    tz: { type: 'string' },
    strict: { type: 'boolean' },
    as: { type: 'string' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.show}\n`)
    return 0
  }
  const format = (values.format ?? 'text') as ShowFormat
  if (!FORMATS.includes(format)) {
    throw usageError('show', `--format must be text, markdown or json, got ${JSON.stringify(values.format)}`)
  }
  const as = parseBodyKindChoice('show', values.as)
  const timeZone = values.tz ?? 'UTC'
  let time: (date: Date) => string
  try {
    time = zonedTimeFormat(timeZone, '--tz')
  } catch (e) {
    throw usageError('show', errorMessage(e))
  }
  if (positionals.length !== 1) throw usageError('show', 'give exactly one file, or - for stdin')
  const input = await readInput(positionals[0] as string, { maxBytes: DEFAULT_MAX_BYTES, option: null })
  const decoded = decodeBody(input.bytes, values.strict === true ? 'strict' : 'lenient', as)
  const result = decoded.result
  if (result._tag === 'Left') {
    const { issues, issueCount } = result.left
    process.stderr.write(
      `${err.red('error')} ${displayLine(input.name)}: ${displayLine(result.left.message)}\n`,
    )
    for (const issue of issues.slice(1)) process.stderr.write(`        ${displayLine(issue.message)}\n`)
    if (issueCount > issues.length) process.stderr.write(`        … and ${issueCount - issues.length} more\n`)
    return 1
  }
  if (decoded.kind === 'webhook') {
    if (decoded.result._tag === 'Right') showWebhookEvent(decoded.result.right, format, time, out)
  } else if (decoded.result._tag === 'Right')
    showConversation(decoded.result.right, format, timeZone, time, out)
  // In JSON the warnings are part of the output; elsewhere they go to stderr.
  const value = result.right
  if (format === 'json') return 0
  for (const w of value.warnings) process.stderr.write(`${err.yellow('warning')} ${displayLine(w.message)}\n`)
  if (value.warningCount > value.warnings.length)
    process.stderr.write(`        … and ${value.warningCount - value.warnings.length} more\n`)
  return 0
}

/** A webhook event: its summary (what it carries of name, time, conversation, author, text …). */
function showWebhookEvent(
  event: WebhookEvent,
  format: ShowFormat,
  time: (date: Date) => string,
  out: TerminalStyle,
): void {
  const s = webhookEventSummary(event)
  if (format === 'json') {
    // The model's Dates are written as ISO strings; `raw` is left out (it is the file itself).
    const { raw: _raw, warnings, ...rest } = event
    const json = { kind: 'webhook', summary: s, warnings, event: rest }
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    return
  }
  const facts = webhookEventFacts(s, time)
  const title = `Webhook event ${s.event}`
  if (format === 'markdown') {
    const lines = [`## ${printable(title)}`, '', ...facts.map(([k, v]) => `- **${k}:** ${displayLine(v)}`)]
    process.stdout.write(`${lines.join('\n')}\n`)
  } else {
    const width = Math.max(...facts.map(([k]) => k.length))
    const lines = [
      out.bold(printable(title)),
      ...facts.map(([k, v]) => `  ${out.dim(k.padEnd(width))}  ${displayLine(v)}`),
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}

/** A conversation: its summary and transcript. */
function showConversation(
  c: Conversation,
  format: ShowFormat,
  timeZone: string,
  time: (date: Date) => string,
  out: TerminalStyle,
): void {
  if (format === 'json') {
    const json = {
      summary: summary(c),
      durations: durations(c),
      warnings: c.warnings,
      transcript: transcript(c, { format: 'text', timeZone }),
    }
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    return
  }
  const facts = summaryFacts(c, time)
  if (format === 'markdown') {
    const lines = [
      `## Conversation ${c.id}`,
      '',
      ...facts.map(([k, v]) => `- **${k}:** ${v}`),
      '',
      '### Transcript',
      '',
    ]
    process.stdout.write(printable(`${lines.join('\n')}${transcript(c, { format: 'markdown', timeZone })}\n`))
  } else {
    const width = Math.max(...facts.map(([k]) => k.length))
    const lines = [
      out.bold(`Conversation ${printable(c.id)}`),
      ...facts.map(([k, v]) => `  ${out.dim(k.padEnd(width))}  ${printable(v)}`),
      '',
      out.bold('Transcript'),
      printable(transcript(c, { format: 'text', timeZone })),
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}

/** The summary as label/value pairs, times in the chosen zone and durations in seconds with Smartsupp's beside them. */
export function summaryFacts(c: Conversation, time: (date: Date) => string): [string, string][] {
  const s = summary(c)
  const d = durations(c)
  const seconds = (ms: number | null) => (ms === null ? 'none' : `${(ms / 1000).toFixed(3)} s`)
  // Webhooks never carry Smartsupp's figures; in a POST hook conversation a null one was unreadable.
  const missing = c.source === 'webhooks' ? 'not sent by webhooks' : 'unreadable'
  const reported = (n: number | null) => (n === null ? missing : `${n} s`)
  const visitor = [s.visitorName ?? 'anonymous', s.visitorEmail === null ? '' : ` <${s.visitorEmail}>`].join(
    '',
  )
  const agents = s.agentNames.map((name, i) => `${name} (${s.agentIds[i]})`).join(', ')
  return [
    ['kind', s.category],
    ['account', String(s.accountId)],
    ['from', time(c.beginAt)],
    ['to', time(c.endAt)],
    ['visitor', visitor],
    ['agents', agents === '' ? 'none' : agents],
    [
      'messages',
      `${s.messageCount} (visitor ${s.visitorMessageCount}, agents ${s.agentMessageCount}, automatic ${s.triggeredMessageCount})`,
    ],
    ['duration', `${seconds(d.totalMs)} (Smartsupp: ${reported(d.reported.durationSeconds)})`],
    [
      'first response',
      `${seconds(d.firstResponseMs)} (Smartsupp: ${reported(d.reported.firstResponseSeconds)})`,
    ],
    [
      'average response',
      `${seconds(d.averageResponseMs)} (Smartsupp: ${reported(d.reported.averageResponseSeconds)})`,
    ],
    [
      'rating',
      s.rating === null ? 'not rated' : `${s.rating}/5${s.ratingComment ? ` "${s.ratingComment}"` : ''}`,
    ],
    ['warnings', String(s.warningCount)],
  ]
}
