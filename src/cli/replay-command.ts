import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../index.js'
import { postConversation } from '../testing/post-conversation.js'
import { DEFAULT_MAX_BYTES, parseByteSize } from './byte-size.js'
import { type CaptureVerdict, captureVerdict, unverifiedReason } from './capture-verdict.js'
import { CliError, type ExitCode, errorMessage } from './cli-error.js'
import { type BodyKind, bodyKindOf, parseBodyKindChoice } from './decode-body.js'
import { HELP } from './help-text.js'
import { parseCommandArgs, usageError } from './parse-command-args.js'
import { plural } from './plural.js'
import { readInput } from './read-input.js'
import { readResponseText } from './read-response-text.js'
import { displayLine, type TerminalStyle } from './terminal-style.js'
import { wholeNumberOption } from './whole-number-option.js'

const DEFAULT_TIMEOUT_SECONDS = 30
/** At most this much of a refusal's body is printed (bytes). */
const MAX_SHOWN_BYTES = 500

/**
 * `listen --out` names a body still arriving `…-receiving.json` and one the client cut off
 * `…-aborted.json`: neither is a whole delivery, so neither is replayed.
 */
const INCOMPLETE = /-(receiving|aborted)\.json$/

/** One file's delivery: its answer's status (or why there was none, or why it was not sent) and what it was. */
type Outcome =
  | {
      readonly kind: BodyKind
      readonly status: number
      readonly answer: string
      /** Why it was signed with nothing to show it is authentic (no verdict), or `null`. */
      readonly unverified: string | null
    }
  | { readonly kind: BodyKind | null; readonly error: string }
  | { readonly kind: BodyKind | null; readonly skipped: string }

/** Why a capture listen refused is not signed, by its verdict. */
const REFUSED: Readonly<Record<Exclude<CaptureVerdict, 'verified'>, string>> = {
  unsigned: 'it came with no X-Smartsupp-Hmac signature',
  bad_signature: 'its X-Smartsupp-Hmac signature did not match',
}

/**
 * `replay <dir> --url <receiver>`: POSTs every captured body in a directory (what `listen --out`
 * and `store poisoned --out` write) to a receiver, in file-name order, each body's bytes
 * unchanged: webhook events signed with `--secret`, POST hook conversations sent with
 * `?token=`. A capture `listen --secret` refused (its name says `unsigned-` or `bad-signature-`)
 * is never signed unless `--sign-refused` says so; one signed that records no verdict (listen ran
 * without `--secret`) gets a line saying so; one that cannot be read (over `--max-bytes`) is
 * skipped. 0 when every file was answered 2xx, 1 when some were not or were skipped, 2 on
 * usage or I/O errors or when the receiver could not be reached (nothing more is sent then).
 */
export async function replayCommand(
  args: readonly string[],
  out: TerminalStyle,
  err: TerminalStyle,
): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('replay', args, {
    url: { type: 'string' },
    secret: { type: 'string' },
    token: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    as: { type: 'string' },
    'max-bytes': { type: 'string' },
    'sign-refused': { type: 'boolean' },
  })
  if (values.help === true) {
    process.stdout.write(`${HELP.replay}\n`)
    return 0
  }
  const [dir, ...rest] = positionals
  if (dir === undefined)
    throw usageError('replay', 'give the directory of captured bodies (what listen --out wrote)')
  if (rest.length > 0) throw usageError('replay', `one directory at a time, got ${positionals.length}`)
  if (values.url === undefined)
    throw usageError('replay', 'give --url, the receiver to post to, e.g. http://127.0.0.1:3000/webhooks')
  let url: URL
  try {
    url = new URL(values.url)
  } catch {
    throw usageError('replay', `--url ${JSON.stringify(values.url)} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError('replay', `--url must be http: or https:, got ${url.protocol}`)
  if (values.secret === '') throw usageError('replay', '--secret must not be empty')
  if (values.token === '') throw usageError('replay', '--token must not be empty')
  const secret = values.secret ?? null
  const signRefused = values['sign-refused'] === true
  if (signRefused && secret === null)
    throw usageError('replay', '--sign-refused signs with --secret: give --secret too')
  const maxBytes =
    values['max-bytes'] === undefined
      ? DEFAULT_MAX_BYTES
      : parseByteSize('replay', '--max-bytes', values['max-bytes'])
  const as = parseBodyKindChoice('replay', values.as)
  const tokenUrl = new URL(url)
  if (values.token !== undefined) tokenUrl.searchParams.set('token', values.token)
  const concurrency =
    values.concurrency === undefined
      ? 1
      : wholeNumberOption('replay', '--concurrency', values.concurrency, 1, 256)
  const timeoutSeconds =
    values.timeout === undefined
      ? DEFAULT_TIMEOUT_SECONDS
      : wholeNumberOption('replay', '--timeout', values.timeout, 1, 86_400)

  let entries: { name: string; isFile: boolean }[]
  try {
    entries = (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, isFile: e.isFile() }))
  } catch (e) {
    throw new CliError(`cannot read the directory ${dir}: ${errorMessage(e)}`)
  }
  const files = entries
    .filter((e) => e.isFile && !e.name.startsWith('.') && !INCOMPLETE.test(e.name))
    .map((e) => e.name)
    // By code unit, not locale: listen's names start with the arrival time, so this is arrival order.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const incomplete = entries.filter((e) => e.isFile && INCOMPLETE.test(e.name)).length
  if (files.length === 0) {
    throw new CliError(
      `nothing to replay in ${dir}: no files${incomplete > 0 ? ` (only ${plural(incomplete, 'incomplete capture')}, skipped)` : ''}; give the directory listen --out wrote`,
    )
  }

  const shownUrl = displayLine(url.href)
  let unreachable: string | null = null
  const outcomes: (Outcome | undefined)[] = new Array(files.length)
  let printed = 0
  let notOk = 0
  let skipped = 0
  let unverified = 0
  const print = () => {
    // In file order, whatever order the answers came in.
    for (let o = outcomes[printed]; o !== undefined; o = outcomes[++printed]) {
      const name = displayLine(files[printed] as string)
      if ('error' in o) {
        process.stdout.write(`${err.red('no answer')} ${name}: ${displayLine(o.error)}\n`)
        continue
      }
      if ('skipped' in o) {
        skipped++
        const what = o.kind === null ? '' : ` (${o.kind === 'webhook' ? 'webhook event' : 'conversation'})`
        process.stdout.write(`${out.yellow('skipped')} ${name}${what}: ${displayLine(o.skipped)}\n`)
        continue
      }
      if (o.unverified !== null) {
        unverified++
        process.stdout.write(`${out.yellow('signed unverified capture')} ${name}: ${o.unverified}\n`)
      }
      const ok = o.status >= 200 && o.status < 300
      if (!ok) notOk++
      const status = ok ? out.green(String(o.status)) : out.red(String(o.status))
      const answer = ok || o.answer === '' ? '' : `: ${displayLine(o.answer)}${hint(o, secret, values.token)}`
      process.stdout.write(
        `${status} ${name} (${o.kind === 'webhook' ? 'webhook event' : 'conversation'})${answer}\n`,
      )
    }
  }

  const send = async (index: number): Promise<void> => {
    const file = join(dir, files[index] as string)
    let kind: BodyKind | null = null
    try {
      let bytes: Buffer
      try {
        ;({ bytes } = await readInput(file, { maxBytes, option: '--max-bytes' }))
      } catch (e) {
        // One capture that cannot be read (over --max-bytes, gone, unreadable) is skipped, not fatal.
        if (!(e instanceof CliError)) throw e
        outcomes[index] = {
          kind: null,
          skipped: `not sent: ${e.message.replace(/^cannot read [^:]*: /, '')}`,
        }
        return print()
      }
      kind = as === 'auto' ? bodyKindOf(bytes) : as
      const verdict = captureVerdict(files[index] as string)
      if (
        kind === 'webhook' &&
        secret !== null &&
        verdict !== null &&
        verdict !== 'verified' &&
        !signRefused
      ) {
        // Never sign what listen refused: nothing proves Smartsupp sent it.
        outcomes[index] = {
          kind,
          skipped: `not signed: listen answered it 401 (${REFUSED[verdict]}), so nothing proves Smartsupp sent it; --sign-refused signs it anyway, for bodies you know are Smartsupp's`,
        }
        return print()
      }
      const headers: Record<string, string> = {}
      const signed = kind === 'webhook' && secret !== null
      // Signed over the very bytes sent, which stay as captured.
      if (signed) headers[WEBHOOK_SIGNATURE_HEADER] = await signWebhookBody(bytes, secret)
      const response = await postConversation(kind === 'webhook' ? url : tokenUrl, bytes, {
        headers,
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
        timeoutMs: timeoutSeconds * 1000 + 1000,
      })
      const shown = await readResponseText(response, MAX_SHOWN_BYTES)
      outcomes[index] = {
        kind,
        status: response.status,
        answer: shown.text.trim(),
        // Signed, and nothing recorded that it was authentic: said, not silent.
        unverified: signed && verdict === null ? unverifiedReason(files[index] as string) : null,
      }
    } catch (e) {
      if (e instanceof CliError) throw e
      const error = errorMessage((e as { cause?: unknown }).cause ?? e)
      unreachable ??= error
      outcomes[index] = { kind, error }
    }
    print()
  }

  let next = 0
  const worker = async () => {
    while (next < files.length && unreachable === null) await send(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker))
  const sent = outcomes.filter((o) => o !== undefined).length
  const incompleteNote = incomplete === 0 ? '' : `, ${plural(incomplete, 'incomplete capture')} skipped`
  if (unreachable !== null) {
    throw new CliError(
      `cannot reach ${shownUrl}: ${unreachable}; ${sent} of ${plural(files.length, 'file')} tried, the rest not sent`,
    )
  }
  const notSent = skipped === 0 ? '' : `, ${skipped} not sent (skipped)`
  const unverifiedNote =
    unverified === 0 ? '' : `, ${plural(unverified, 'capture')} signed without a verdict (unverified)`
  process.stdout.write(
    `${plural(files.length, 'file')} replayed to ${shownUrl}: ${files.length - notOk - skipped} answered 2xx, ${notOk} not${notSent}${unverifiedNote}${incompleteNote}\n`,
  )
  return notOk + skipped > 0 ? 1 : 0
}

/** What a 401 most likely means, when this run could have caused it. */
function hint(
  o: { kind: BodyKind; status: number },
  secret: string | null,
  token: string | undefined,
): string {
  if (o.status !== 401) return ''
  if (o.kind === 'webhook' && secret === null) return ' (sent unsigned: give --secret)'
  if (o.kind === 'conversation' && token === undefined) return ' (sent without a token: give --token)'
  return ''
}
