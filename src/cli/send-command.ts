import { type FixtureName, fixtures, postConversation } from '../testing/index.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { readInput } from './read-input.js'
import type { TerminalStyle } from './terminal-style.js'

/** `--fixture` names: the `fixtures` keys in kebab-case (`triggeredOnly` → `triggered-only`). */
const FIXTURES = new Map(
  (Object.keys(fixtures) as FixtureName[]).map((key) => [
    key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
    key,
  ]),
)

/** `send <url> [file|-]`: POSTs a payload and prints the answer; 0 on 2xx, 1 on any other status, 2 when unreachable. */
export async function sendCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('send', args, {
    fixture: { type: 'string' },
    header: { type: 'string', short: 'H', multiple: true },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.send}\n`)
    return 0
  }
  const [target, file, ...rest] = positionals
  if (target === undefined) throw usageError('send', 'give the receiver URL, e.g. http://127.0.0.1:3000/hook')
  if (rest.length > 0) throw usageError('send', `one payload at a time, got ${positionals.length - 1} files`)
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw usageError('send', `${JSON.stringify(target)} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError('send', `the URL must be http: or https:, got ${url.protocol}`)
  }
  if (file !== undefined && values.fixture !== undefined)
    throw usageError('send', 'give a file or --fixture, not both')
  const headers: Record<string, string> = {}
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':')
    if (colon <= 0) throw usageError('send', `--header needs "Name: value", got ${JSON.stringify(header)}`)
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim()
  }

  let body: Uint8Array | string
  if (file !== undefined) body = (await readInput(file)).bytes
  else {
    const name = values.fixture ?? 'documented-example'
    const key = FIXTURES.get(name)
    if (key === undefined) {
      throw usageError(
        'send',
        `no fixture ${JSON.stringify(name)}; one of ${[...FIXTURES.keys()].join(', ')}`,
      )
    }
    body = JSON.stringify(fixtures[key]())
  }

  let response: Response
  try {
    response = await postConversation(url, body, { headers })
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause
    throw new CliError(`cannot reach ${url.href}: ${errorMessage(cause ?? e)}`)
  }
  const text = await response.text()
  const ok = response.status >= 200 && response.status < 300
  const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`
  process.stdout.write(`${ok ? out.green(status) : out.red(status)}\n`)
  if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  if (!ok) process.stderr.write(`${err.red('error')} the receiver answered ${response.status}, not 2xx\n`)
  return ok ? 0 : 1
}
