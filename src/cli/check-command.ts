import { DEFAULT_MAX_BYTES, parseByteSize } from './byte-size.js'
import type { ExitCode } from './cli-error.js'
import { errorMessage } from './cli-error.js'
import { type DecodedBody, decodeBody, parseBodyKindChoice } from './decode-body.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { expandPath, type InputLimit, readInput } from './read-input.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'
import { webhookEventLine, webhookEventSummary } from './webhook-event-summary.js'

/**
 * `check <file|dir|->…`: decodes each payload (a POST hook conversation or a webhook event, told
 * apart by `bodyKindOf` unless `--as` says) and prints its issues and warnings, then the total;
 * 0 all valid, 1 some invalid, 2 usage or I/O. Each file is independent: one that cannot be read,
 * is too large or breaks the decoder is reported on its own line and the run goes on.
 */
export async function checkCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', args, {
    strict: { type: 'boolean' },
    'max-bytes': { type: 'string' },
    as: { type: 'string' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.check}\n`)
    return 0
  }
  if (positionals.length === 0) throw usageError('check', 'give at least one file, directory or - for stdin')
  if (positionals.filter((p) => p === '-').length > 1) throw usageError('check', 'give - (stdin) only once')
  const mode = values.strict === true ? 'strict' : 'lenient'
  const as = parseBodyKindChoice('check', values.as)
  const limit: InputLimit = {
    maxBytes:
      values['max-bytes'] === undefined
        ? DEFAULT_MAX_BYTES
        : parseByteSize('check', '--max-bytes', values['max-bytes']),
    option: '--max-bytes',
  }

  let valid = 0
  let invalid = 0
  let unreadable = 0
  const lines: string[] = []
  const print = () => {
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
    lines.length = 0
  }
  const note = (text: string) => process.stderr.write(`${err.yellow('note')}  ${displayLine(text)}\n`)
  const error = (text: string) => process.stderr.write(`${err.red('error')} ${displayLine(text)}\n`)
  for (const arg of positionals) {
    let files: readonly string[]
    try {
      const expanded = await expandPath(arg)
      files = expanded.files
      for (const s of expanded.skipped) note(`${s.path}: skipped, not a regular file (${s.kind})`)
      if (files.length === 0) note(`${arg}: no .json files`)
    } catch (e) {
      unreadable++
      error(errorMessage(e))
      continue
    }
    for (const file of files) {
      let input: { name: string; bytes: Buffer }
      try {
        input = await readInput(file, limit)
      } catch (e) {
        unreadable++
        error(errorMessage(e))
        continue
      }
      const name = displayLine(input.name)
      try {
        const decoded = decodeBody(input.bytes, mode, as)
        const result = decoded.result
        if (result._tag === 'Left') {
          invalid++
          const { issues, issueCount } = result.left
          const what = decoded.kind === 'webhook' ? ' (as a webhook event)' : ''
          lines.push(`${out.red('FAIL')}  ${name}${what}: ${plural(issueCount, 'issue')}`)
          for (const issue of issues)
            lines.push(`        ${out.red('error')}   ${displayLine(issue.message)}`)
          if (issueCount > issues.length) lines.push(`        … and ${issueCount - issues.length} more`)
        } else {
          valid++
          const value = result.right
          const warned = value.warningCount === 0 ? '' : `, ${plural(value.warningCount, 'warning')}`
          lines.push(`${out.green('ok')}    ${name}: ${displayLine(okLine(decoded))}${warned}`)
          for (const w of value.warnings)
            lines.push(`        ${out.yellow('warning')} ${displayLine(w.message)}`)
          if (value.warningCount > value.warnings.length)
            lines.push(`        … and ${value.warningCount - value.warnings.length} more`)
        }
      } catch (e) {
        // The decoders never throw by contract; if it does, this file fails and the run goes on.
        invalid++
        lines.push(
          `${out.red('FAIL')}  ${name}: the decoder failed (please report it): ${displayLine(errorMessage(e))}`,
        )
      }
      print()
    }
  }
  const total = valid + invalid + unreadable
  if (total === 0) throw usageError('check', 'nothing to check: no .json files found')
  const parts = [`${valid} valid`, `${invalid} invalid`]
  if (unreadable > 0) parts.push(`${unreadable} unreadable`)
  process.stdout.write(`${out.bold(plural(total, 'file'))} (${mode}): ${parts.join(', ')}\n`)
  return unreadable > 0 ? 2 : invalid > 0 ? 1 : 0
}

/** What a decoded body is, in one line: `conversation 55039, 6 messages` or a webhook event's line. */
function okLine(decoded: DecodedBody): string {
  if (decoded.kind === 'webhook')
    return decoded.result._tag === 'Right' ? webhookEventLine(webhookEventSummary(decoded.result.right)) : ''
  if (decoded.result._tag === 'Left') return ''
  const c = decoded.result.right
  return `conversation ${c.id}, ${plural(c.messages.length, 'message')}`
}
