import type { IncomingMessage } from 'node:http'
import type { DeliveryFormat } from './inspect-api-types.js'

/** The webhook receiver's path. */
export const WEBHOOK_PATH = '/webhooks/smartsupp'
/** The POST hook receiver's path (`/hook?token=…` or `/hook/<token>`). */
export const HOOK_PATH = '/hook'

/** Which receiver a path is: the webhooks', the POST hook's, or neither. */
export function formatOf(url: string): DeliveryFormat {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  if (path === WEBHOOK_PATH || path === `${WEBHOOK_PATH}/`) return 'webhook'
  if (path === HOOK_PATH || path.startsWith(`${HOOK_PATH}/`)) return 'post-hook'
  return 'other-path'
}

const REDACTED = '***'
const SECRET_HEADER = /authorization|cookie|token|secret|password|api-?key|signature-key/i

/**
 * A request URL as shown: the value of every `token` parameter and what follows `/hook/` (the
 * token's place in a POST hook URL) replaced by `***`, and `--token` wherever else it appears.
 */
export function redactedUrl(url: string, token: string | null): string {
  let shown = url
    .replace(/([?&]token=)[^&#]*/gi, `$1${REDACTED}`)
    .replace(/^(\/hook\/)[^?#]+/, `$1${REDACTED}`)
  if (token !== null && token !== '') {
    shown = shown.split(token).join(REDACTED).split(encodeURIComponent(token)).join(REDACTED)
  }
  return shown
}

/**
 * The headers as received, in order, with the values of those that carry credentials
 * (Authorization, Cookie, anything named for a token, secret, password or API key) replaced by
 * `***`. `X-Smartsupp-Hmac` is kept: it is a signature of this very body, not a secret.
 */
export function redactedHeaders(req: IncomingMessage, token: string | null): [string, string][] {
  const raw = req.rawHeaders
  const out: [string, string][] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string
    const value = raw[i + 1] as string
    out.push([name, SECRET_HEADER.test(name) ? REDACTED : redactedUrl(value, token)])
  }
  return out
}
