import { zonedTimeFormat } from '../helpers/zoned-time-format.js'
import { type Conversation, durations, parseConversation, summary, transcript } from '../index.js'
import { DEFAULT_MAX_BYTES } from './byte-size.js'
import { type ExitCode, errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { readInput } from './read-input.js'
import { displayLine, printable, type TerminalStyle } from './terminal-style.js'

const FORMATS = ['text', 'markdown', 'json'] as const
type ShowFormat = (typeof FORMATS)[number]

/** `show <file|->`: a summary and the transcript of one conversation; 1 when it does not decode. */
export async function showCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('show', args, {
    format: { type: 'string' },
    tz: { type: 'string' },
    strict: { type: 'boolean' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.show}\n`)
    return 0
  }
  const format = (values.format ?? 'text') as ShowFormat
  if (!FORMATS.includes(format)) {
    throw usageError('show', `--format must be text, markdown or json, got ${JSON.stringify(values.format)}`)
  }
  const timeZone = values.tz ?? 'UTC'
  let time: (date: Date) => string
  try {
    time = zonedTimeFormat(timeZone, '--tz')
  } catch (e) {
    throw usageError('show', errorMessage(e))
  }
  if (positionals.length !== 1) throw usageError('show', 'give exactly one file, or - for stdin')
  const input = await readInput(positionals[0] as string, { maxBytes: DEFAULT_MAX_BYTES, option: null })
  const result = parseConversation(input.bytes, { mode: values.strict === true ? 'strict' : 'lenient' })
  if (result._tag === 'Left') {
    const { issues, issueCount } = result.left
    process.stderr.write(
      `${err.red('error')} ${displayLine(input.name)}: ${displayLine(result.left.message)}\n`,
    )
    for (const issue of issues.slice(1)) process.stderr.write(`        ${displayLine(issue.message)}\n`)
    if (issueCount > issues.length) process.stderr.write(`        … and ${issueCount - issues.length} more\n`)
    return 1
  }
  const c = result.right
  if (format === 'json') {
    const json = {
      summary: summary(c),
      durations: durations(c),
      warnings: c.warnings,
      transcript: transcript(c, { format: 'text', timeZone }),
    }
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    return 0
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
      out.bold(`Conversation ${c.id}`),
      ...facts.map(([k, v]) => `  ${out.dim(k.padEnd(width))}  ${printable(v)}`),
      '',
      out.bold('Transcript'),
      printable(transcript(c, { format: 'text', timeZone })),
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }
  for (const w of c.warnings) process.stderr.write(`${err.yellow('warning')} ${displayLine(w.message)}\n`)
  if (c.warningCount > c.warnings.length)
    process.stderr.write(`        … and ${c.warningCount - c.warnings.length} more\n`)
  return 0
}

/** The summary as label/value pairs, times in the chosen zone and durations in seconds with Smartsupp's beside them. */
function summaryFacts(c: Conversation, time: (date: Date) => string): [string, string][] {
  const s = summary(c)
  const d = durations(c)
  const seconds = (ms: number | null) => (ms === null ? 'none' : `${(ms / 1000).toFixed(3)} s`)
  const reported = (n: number | null) => (n === null ? 'unreadable' : `${n} s`)
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
