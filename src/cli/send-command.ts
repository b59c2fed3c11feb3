import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../index.js'
import {
  type FixtureName,
  fixtures,
  postConversation,
  type WebhookFixtureName,
  webhookFixtures,
} from '../testing/index.js'
import { DEFAULT_MAX_BYTES } from './byte-size.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { readInput } from './read-input.js'
import { readResponseText } from './read-response-text.js'
import { displayLine, printable, type TerminalStyle } from './terminal-style.js'

/** `--fixture` names: the `fixtures` keys in kebab-case (`triggeredOnly` → `triggered-only`). */
const FIXTURES = new Map(
  (Object.keys(fixtures) as FixtureName[]).map((key) => [
    key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
    key,
  ]),
)

/** `--fixture` names of webhook events: `webhook:` and a `webhookFixtures` key (`webhook:conversation.opened`). */
const WEBHOOK_PREFIX = 'webhook:'

/** The fixture's body as `send` posts it, or `undefined` for an unknown name. */
function fixtureBody(name: string): string | undefined {
  if (name.startsWith(WEBHOOK_PREFIX)) {
    const key = name.slice(WEBHOOK_PREFIX.length)
    return Object.hasOwn(webhookFixtures, key)
      ? JSON.stringify(webhookFixtures[key as WebhookFixtureName]())
      : undefined
  }
  const key = FIXTURES.get(name)
  return key === undefined ? undefined : JSON.stringify(fixtures[key]())
}

/** Default `--timeout`, in seconds: how long to wait for the whole answer. */
const DEFAULT_TIMEOUT_SECONDS = 30
/** At most this much of the answer's body is printed (bytes); the rest is cut and said so. */
const MAX_SHOWN_BYTES = 64 * 1024

/**
 * `send <url> [file|-]`: POSTs a payload (signed with `--secret` as Smartsupp signs webhooks: the
 * hex HMAC-SHA256 of the exact bytes in `X-Smartsupp-Hmac`) and prints the answer (redirects are not followed: a 3xx
 * is an answer); 0 on 2xx, 1 on any other status, 2 when unreachable or too slow.
 */
export async function sendCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('send', args, {
    fixture: { type: 'string' },
    header: { type: 'string', short: 'H', multiple: true },
    timeout: { type: 'string' },
    secret: { type: 'string' },
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
  const headers = parseHeaders(values.header ?? [])
  const secret = values.secret
  if (secret === '') throw usageError('send', '--secret must not be empty')
  if (secret !== undefined && Object.keys(headers).some((h) => h.toLowerCase() === WEBHOOK_SIGNATURE_HEADER))
    throw usageError('send', 'give --secret or an X-Smartsupp-Hmac header, not both')
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : parseTimeout(values.timeout)

  let body: Uint8Array | string
  if (file !== undefined) body = (await readInput(file, { maxBytes: DEFAULT_MAX_BYTES, option: null })).bytes
  else {
    const name = values.fixture ?? 'documented-example'
    const fixture = fixtureBody(name)
    if (fixture === undefined) {
      throw usageError(
        'send',
        `no fixture ${JSON.stringify(name)}; one of ${[...FIXTURES.keys()].join(', ')}; or a webhook event: ${Object.keys(
          webhookFixtures,
        )
          .map((k) => `${WEBHOOK_PREFIX}${k}`)
          .join(', ')}`,
      )
    }
    body = fixture
  }
  // Signed over the very bytes sent: the file's, unchanged, or the fixture's JSON text.
  if (secret !== undefined) headers[WEBHOOK_SIGNATURE_HEADER] = await signWebhookBody(body, secret)

  const signal = AbortSignal.timeout(timeoutSeconds * 1000)
  const failed = (e: unknown): CliError =>
    signal.aborted
      ? new CliError(`no answer from ${url.href} within ${timeoutSeconds} s (raise it with --timeout)`)
      : new CliError(`cannot reach ${url.href}: ${errorMessage((e as { cause?: unknown }).cause ?? e)}`)
  let response: Response
  let shown: { text: string; cut: boolean }
  try {
    // The signal bounds the wait (--timeout); postConversation's own bound is set just past it.
    response = await postConversation(url, body, {
      headers,
      signal,
      timeoutMs: Math.min(Math.ceil(timeoutSeconds * 1000) + 1000, 2_147_483_647),
    })
    shown = await readResponseText(response, MAX_SHOWN_BYTES)
  } catch (e) {
    throw failed(e)
  }
  const ok = response.status >= 200 && response.status < 300
  const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${displayLine(response.statusText)}`}`
  process.stdout.write(`${ok ? out.green(status) : out.red(status)}\n`)
  const location = response.headers.get('location')
  if (location !== null && response.status >= 300 && response.status < 400) {
    process.stdout.write(`location: ${displayLine(location)} (not followed)\n`)
  }
  const text = printable(shown.text)
  if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  if (shown.cut)
    process.stdout.write(`${out.dim(`… (cut: only the first ${MAX_SHOWN_BYTES} bytes are shown)`)}\n`)
  if (!ok) process.stderr.write(`${err.red('error')} the receiver answered ${response.status}, not 2xx\n`)
  return ok ? 0 : 1
}

/** `-H "Name: value"` options as headers, each checked the way `fetch` would (a usage error, exit 2). */
function parseHeaders(options: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const header of options) {
    const colon = header.indexOf(':')
    if (colon <= 0) throw usageError('send', `--header needs "Name: value", got ${JSON.stringify(header)}`)
    const name = header.slice(0, colon).trim()
    const value = header.slice(colon + 1).trim()
    try {
      new Headers().set(name, value)
    } catch {
      throw usageError(
        'send',
        `--header ${JSON.stringify(header)} is not a valid HTTP header (a name is letters, digits and !#$%&'*+-.^_\`|~, no spaces)`,
      )
    }
    headers[name] = value
  }
  return headers
}

function parseTimeout(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!(n > 0) || n > 86_400) {
    throw usageError('send', `--timeout must be seconds above 0 (at most 86400), got ${JSON.stringify(text)}`)
  }
  return n
}
