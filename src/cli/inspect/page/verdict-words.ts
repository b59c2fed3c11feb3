// The one place where a delivery's verdicts become words and colours on the page.
import type { DecodeVerdict, DeliverySummary, SignatureVerdict, StoreOutcome } from '../inspect-api-types.js'

/** A chip's colour: good, bad, a warning, information, or neutral. */
export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'muted'

/** A verdict as the page shows it: a few words on a chip, and a sentence on hover and in the detail. */
export interface Look {
  readonly text: string
  readonly tone: Tone
  readonly detail: string
}

/** The signature verdict (or, for the POST hook, the token's) in words. */
export function signatureLook(v: SignatureVerdict): Look {
  switch (v.kind) {
    case 'valid':
      return v.secretCount > 1
        ? {
            text: `Signed · secret ${v.secretIndex + 1}`,
            tone: 'ok',
            detail: `X-Smartsupp-Hmac matches secret ${v.secretIndex + 1} of the ${v.secretCount} you gave (--secret order)${v.secretIndex > 0 ? ': Smartsupp still signs with an older secret of the rotation' : ''}.`,
          }
        : {
            text: 'Signed',
            tone: 'ok',
            detail: 'X-Smartsupp-Hmac matches your secret: Smartsupp sent this body.',
          }
    case 'missing':
      return {
        text: 'Unsigned',
        tone: 'bad',
        detail:
          'No X-Smartsupp-Hmac header: not sent by Smartsupp, or something on the way dropped the header.',
      }
    case 'malformed':
      return { text: 'Bad signature header', tone: 'bad', detail: v.message }
    case 'mismatch':
      return {
        text: 'Forged or wrong secret',
        tone: 'bad',
        detail:
          "The signature does not match this body with your secret: someone else sent it, the secret is not the app's, or the body was changed on the way.",
      }
    case 'not_raw_body':
      return {
        text: 'Not the raw body',
        tone: 'bad',
        detail: `The signature matches a re-serialised form of this JSON, not these bytes. ${v.message}`,
      }
    case 'unverified':
      return v.signed
        ? {
            text: 'Not verified',
            tone: 'muted',
            detail:
              'It carries a signature, but inspect was started without --secret, so it was not checked (and not stored).',
          }
        : {
            text: 'Unsigned',
            tone: 'muted',
            detail: 'No signature, and inspect has no --secret to check one with.',
          }
    case 'token-valid':
      return { text: 'Token OK', tone: 'ok', detail: 'The URL carries the --token.' }
    case 'token-wrong':
      return {
        text: v.given ? 'Wrong token' : 'No token',
        tone: 'bad',
        detail: v.given
          ? 'The URL carries a token, but not the --token: answered 401.'
          : 'The URL carries no token (?token= or /hook/<token>): answered 401.',
      }
    case 'token-not-required':
      return {
        text: 'No check',
        tone: 'muted',
        detail: 'POST hook bodies are not signed; give --token to check the URL.',
      }
    case 'not-read':
      return { text: 'Not read', tone: 'muted', detail: 'Refused before the body was read.' }
  }
}

/** The decode verdict in words. */
export function decodeLook(v: DecodeVerdict): Look {
  switch (v.kind) {
    case 'decoded':
      return v.warningCount === 0
        ? {
            text: 'Decoded',
            tone: 'ok',
            detail: `A valid ${v.as === 'webhook' ? 'webhook event' : 'POST hook conversation'}.`,
          }
        : {
            text: `${v.warningCount} warning${v.warningCount === 1 ? '' : 's'}`,
            tone: 'warn',
            detail: `Decoded (lenient), with ${v.warningCount} deviation${v.warningCount === 1 ? '' : 's'} from the documented form${v.warnings[0] === undefined ? '' : `: ${v.warnings[0].message}`}.`,
          }
    case 'invalid': {
      const first = v.issues[0]
      if (first === undefined) return { text: 'Invalid', tone: 'bad', detail: v.message }
      if (first.code === 'invalid_json') return { text: 'Not JSON', tone: 'bad', detail: first.message }
      return {
        text: `Invalid at ${first.path === '' ? '(root)' : first.path}`,
        tone: 'bad',
        detail: `${v.message}${v.issueCount > 1 ? ` (${v.issueCount} issues in all)` : ''}`,
      }
    }
    case 'not-read':
      return v.reason === 'too-large'
        ? { text: 'Too large', tone: 'bad', detail: 'Over --max-bytes: refused with 413, nothing kept.' }
        : v.reason === 'no-room'
          ? {
              text: 'No room',
              tone: 'bad',
              detail: 'Over --max-files or --max-total: refused with 507, nothing kept.',
            }
          : { text: 'Cut off', tone: 'bad', detail: 'The sender went away before the end of the body.' }
  }
}

/** The re-delivery mark, or `null` for a first delivery. */
export function duplicateLook(d: Pick<DeliverySummary, 'duplicateOf'>): Look | null {
  return d.duplicateOf === null
    ? null
    : {
        text: `Re-delivery of #${d.duplicateOf}`,
        tone: 'info',
        detail: `The same event as delivery #${d.duplicateOf} (same key): Smartsupp delivered it again; it counts once.`,
      }
}

/** What became of it in the store, in words. */
export function storeLook(o: StoreOutcome): Look {
  switch (o) {
    case 'stored':
      return { text: 'Stored', tone: 'ok', detail: 'Appended to the event store before it was answered.' }
    case 'already-stored':
      return {
        text: 'Already stored',
        tone: 'info',
        detail: 'Its key was in the store already: nothing changed.',
      }
    case 'poisoned':
      return {
        text: 'Kept as poisoned',
        tone: 'warn',
        detail: 'Authentic but undecodable: kept with its bytes (smartsupp-hook store poisoned).',
      }
    case 'not-stored':
      return {
        text: 'Not stored',
        tone: 'muted',
        detail: 'Not authentic (or not verified): it never enters the store.',
      }
    case 'store-failed':
      return {
        text: 'Store failed',
        tone: 'bad',
        detail: 'The store failed: answered 5xx, so Smartsupp re-delivers.',
      }
    case 'not-an-event':
      return { text: '—', tone: 'muted', detail: 'The event store keeps webhook events only.' }
  }
}

/** The answer's status in words. */
export function statusLook(status: number): Look {
  const tone: Tone =
    status >= 200 && status < 300 ? 'ok' : status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'muted'
  const meaning: Record<number, string> = {
    200: 'OK',
    400: 'Bad request: Smartsupp re-delivers',
    401: 'Unauthorized',
    404: 'Not a receiver path',
    413: 'Too large',
    500: 'Failed: Smartsupp re-delivers',
    503: 'Timed out: Smartsupp re-delivers',
    507: 'No room',
  }
  return { text: String(status), tone, detail: meaning[status] ?? `HTTP ${status}` }
}
