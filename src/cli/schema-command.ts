import { schemaFiles } from '../codecs/schema-files.js'
import type { ExitCode } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'

/**
 * `schema [--legacy]`: prints the JSON Schema (draft 2020-12) of the POST hook body, the same
 * text the package ships as `smartsupp-hook/schemas/post-hook.json` (or `…-legacy.json`).
 */
export async function schemaCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('schema', args, { legacy: { type: 'boolean' } })
  if (values.help === true) {
    process.stdout.write(`${HELP.schema}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw usageError('schema', `unexpected argument ${JSON.stringify(positionals[0])}`)
  const files = schemaFiles()
  process.stdout.write(files[values.legacy === true ? 'post-hook-legacy.json' : 'post-hook.json'] ?? '')
  return 0
}
