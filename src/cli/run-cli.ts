import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { type CommandName, HELP, helpOf } from './help-text.js'
import { packageVersion } from './package-version.js'
import {
  colorEnabled,
  displayLine,
  guardTerminal,
  type TerminalStyle,
  terminalStyle,
} from './terminal-style.js'

type Command = (args: readonly string[], out: TerminalStyle, err: TerminalStyle) => Promise<ExitCode>

// Loaded on use, so `--help` and `--version` do not load the decoder.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import('./check-command.js')).checkCommand,
  show: async () => (await import('./show-command.js')).showCommand,
  send: async () => (await import('./send-command.js')).sendCommand,
  listen: async () => (await import('./listen-command.js')).listenCommand,
  schema: async () => (await import('./schema-command.js')).schemaCommand,
  store: async () => (await import('./store-command.js')).storeCommand,
  export: async () => (await import('./export-command.js')).exportCommand,
  replay: async () => (await import('./replay-command.js')).replayCommand,
  inspect: async () => (await import('./inspect/inspect-command.js')).inspectCommand,
}

/** The commands, as listed in errors. */
const COMMAND_LIST = Object.keys(COMMANDS).join(', ')

/**
 * Runs the `smartsupp-hook` command line and returns its exit code. Errors are printed as one
 * line on stderr (no stack trace): a CliError with its own code, anything else with 2. Whatever a
 * command writes passes `guardTerminal` (no raw bidi or C1 control reaches the terminal).
 */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  const unguard = [guardTerminal(process.stdout), guardTerminal(process.stderr)]
  try {
    return await runCommand(argv)
  } finally {
    for (const undo of unguard) undo()
  }
}

async function runCommand(argv: readonly string[]): Promise<ExitCode> {
  const out = terminalStyle(colorEnabled(process.stdout, process.env))
  const err = terminalStyle(colorEnabled(process.stderr, process.env))
  try {
    const [first, ...rest] = argv
    if (first === undefined) {
      // No command: the overview goes to stderr (stdout stays for output) and it is a usage error.
      process.stderr.write(`${HELP.main}\n`)
      return 2
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined
      if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) {
        throw new CliError(
          `help: no command ${JSON.stringify(topic)}; commands: ${COMMAND_LIST} (see smartsupp-hook --help)`,
        )
      }
      process.stdout.write(`${topic === undefined ? HELP.main : helpOf(topic as CommandName, rest[1])}\n`)
      return 0
    }
    if (first === '--version' || first === '-v') {
      process.stdout.write(`${packageVersion()}\n`)
      return 0
    }
    const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined
    if (load === undefined) {
      const what = first.startsWith('-')
        ? `unknown option ${first}`
        : `unknown command ${JSON.stringify(first)}`
      throw new CliError(`${what}; commands: ${COMMAND_LIST} (see smartsupp-hook --help)`)
    }
    const command = await load()
    return await command(rest, out, err)
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : 2
    const message = e instanceof CliError ? e.message : `unexpected error: ${errorMessage(e)}`
    process.stderr.write(`${err.red('smartsupp-hook:')} ${displayLine(message)}\n`)
    return code
  }
}
