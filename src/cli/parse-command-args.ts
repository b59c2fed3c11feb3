import { type ParseArgsConfig, parseArgs } from 'node:util'
import { CliError } from './cli-error.js'

type Options = NonNullable<ParseArgsConfig['options']>
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } }

/** What `parseArgs` returns for a command's options, `--help` included. */
export type CommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<O>; allowPositionals: true; strict: true }>
>

/**
 * `parseArgs` for one command, strict, with its errors turned into one line that names the
 * command and where to look (exit 2). `--help` is added to every command.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
): CommandArgs<O> {
  const withHelp: WithHelp<O> = { ...options, help: { type: 'boolean', short: 'h' } }
  try {
    return parseArgs({
      args: [...args],
      options: withHelp,
      allowPositionals: true,
      strict: true,
    })
  } catch (e) {
    const code = (e as { code?: unknown }).code
    const message = e instanceof Error ? e.message : String(e)
    const option = /'(-[^']*)'/.exec(message)?.[1] ?? ''
    const reason =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option}`
        : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `option ${option.split(' ')[0] ?? option} needs a value`
          : (message.split('\n')[0] ?? message)
    throw new CliError(`${command}: ${reason} (see smartsupp-hook ${command} --help)`)
  }
}

/** A usage error for `command`, pointing at its help (exit 2). */
export function usageError(command: string, reason: string): CliError {
  return new CliError(`${command}: ${reason} (see smartsupp-hook ${command} --help)`)
}
