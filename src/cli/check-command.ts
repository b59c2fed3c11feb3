import { parseConversation } from '../index.js'
import type { ExitCode } from './cli-error.js'
import { errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { expandPath, readInput } from './read-input.js'
import { oneLine, type TerminalStyle } from './terminal-style.js'

/** `check <file|dir|->…`: decodes each payload and prints its issues and warnings; 0 all valid, 1 some invalid, 2 I/O. */
export async function checkCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', args, { strict: { type: 'boolean' } })
  if (values.help === true) {
    process.stdout.write(`${HELP.check}\n`)
    return 0
  }
  if (positionals.length === 0) throw usageError('check', 'give at least one file, directory or - for stdin')
  const mode = values.strict === true ? 'strict' : 'lenient'

  let valid = 0
  let invalid = 0
  let unreadable = 0
  const lines: string[] = []
  const print = () => {
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
    lines.length = 0
  }
  for (const arg of positionals) {
    let files: string[]
    try {
      files = await expandPath(arg)
    } catch (e) {
      unreadable++
      process.stderr.write(`${err.red('error')} ${errorMessage(e)}\n`)
      continue
    }
    if (files.length === 0) process.stderr.write(`${err.yellow('note')}  ${arg}: no .json files\n`)
    for (const file of files) {
      let input: { name: string; bytes: Buffer }
      try {
        input = await readInput(file)
      } catch (e) {
        unreadable++
        process.stderr.write(`${err.red('error')} ${errorMessage(e)}\n`)
        continue
      }
      const result = parseConversation(input.bytes, { mode })
      if (result._tag === 'Left') {
        invalid++
        const { issues, issueCount } = result.left
        lines.push(`${out.red('FAIL')}  ${input.name}: ${issueCount} issue${issueCount === 1 ? '' : 's'}`)
        for (const issue of issues) lines.push(`        ${out.red('error')}   ${oneLine(issue.message)}`)
        if (issueCount > issues.length) lines.push(`        … and ${issueCount - issues.length} more`)
      } else {
        valid++
        const c = result.right
        const warned =
          c.warningCount === 0 ? '' : `, ${c.warningCount} warning${c.warningCount === 1 ? '' : 's'}`
        lines.push(
          `${out.green('ok')}    ${input.name}: conversation ${c.id}, ${c.messages.length} message${c.messages.length === 1 ? '' : 's'}${warned}`,
        )
        for (const w of c.warnings) lines.push(`        ${out.yellow('warning')} ${oneLine(w.message)}`)
        if (c.warningCount > c.warnings.length)
          lines.push(`        … and ${c.warningCount - c.warnings.length} more`)
      }
      print()
    }
  }
  const total = valid + invalid + unreadable
  if (total === 0) throw usageError('check', 'nothing to check: no .json files found')
  if (total > 1) {
    const parts = [`${valid} valid`, `${invalid} invalid`]
    if (unreadable > 0) parts.push(`${unreadable} unreadable`)
    process.stdout.write(`${out.bold(`${total} files`)} (${mode}): ${parts.join(', ')}\n`)
  }
  return unreadable > 0 ? 2 : invalid > 0 ? 1 : 0
}
