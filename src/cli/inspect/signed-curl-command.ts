import { WEBHOOK_SIGNATURE_HEADER } from '../../receive/verify-webhook-signature.js'

/** Bodies up to this size, valid UTF-8 and without NUL, are written into the command as text. */
const MAX_TEXT_BYTES = 64 * 1024
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * A POSIX shell command that POSTs exactly `body` to `url` with curl, signed when `signature` is
 * given (the `X-Smartsupp-Hmac` value). Small text bodies are passed through `printf '%s'` so the
 * command stays readable; others (binary, NUL bytes, over 64 KiB) as base64 in a here-document,
 * decoded by `base64 -d`. Either way curl sends the bytes unchanged (`--data-binary @-`), so the
 * signature holds. Everything from outside is single-quoted.
 */
export function signedCurlCommand(url: string, body: Uint8Array, signature: string | null): string {
  const headers = [`-H ${quote('content-type: application/json')}`]
  if (signature !== null) headers.push(`-H ${quote(`${WEBHOOK_SIGNATURE_HEADER}: ${signature}`)}`)
  const curl = `curl -sS -X POST ${quote(url)} ${headers.join(' ')} --data-binary @-`
  const text = asText(body)
  if (text !== null) return `printf '%s' ${quote(text)} | ${curl}`
  const base64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64')
  const lines = base64.match(/.{1,76}/g) ?? []
  return `base64 -d <<'BODY' | ${curl}\n${lines.join('\n')}\nBODY`
}

function asText(body: Uint8Array): string | null {
  if (body.length > MAX_TEXT_BYTES || body.includes(0)) return null
  try {
    return strictUtf8.decode(body)
  } catch {
    return null
  }
}

/** `text` in single quotes for a POSIX shell: a `'` inside becomes `'\''`. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}
