import { schemaFiles } from '../codecs/schema-files.js'
import type { ExitCode } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'

/**
 * `schema [--legacy | --webhook | --openapi]`: prints the JSON Schema (draft 2020-12) of the POST
 * hook body, the same text the package ships as `smartsupp-hook/schemas/post-hook.json` (or
 * `…-legacy.json`), or that of a webhook event, or the webhooks' OpenAPI 3.1 document.
 */
export async function schemaCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('schema', args, {
    legacy: { type: 'boolean' },
    webhook: { type: 'boolean' },
    openapi: { type: 'boolean' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.schema}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw usageError('schema', `unexpected argument ${JSON.stringify(positionals[0])}`)
  const chosen = (['legacy', 'webhook', 'openapi'] as const).filter((flag) => values[flag] === true)
  if (chosen.length > 1) throw usageError('schema', `choose one of --${chosen.join(', --')}`)
  const files = { legacy: 'post-hook-legacy.json', webhook: 'webhook-event.json', openapi: 'openapi.json' }
  const file = chosen[0] === undefined ? 'post-hook.json' : files[chosen[0]]
  process.stdout.write(schemaFiles()[file] ?? '')
  return 0
}
