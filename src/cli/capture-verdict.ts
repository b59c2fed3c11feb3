/**
 * What `listen --secret` concluded about a capture's `X-Smartsupp-Hmac`, as the capture's file name
 * records it: `verified`, `unsigned` (no signature) or `bad_signature` (malformed, wrong, or over
 * other bytes). Listen answered the last two 401: nothing proves Smartsupp sent them.
 */
export type CaptureVerdict = 'verified' | 'unsigned' | 'bad_signature'

const FLAGS = { verified: 'verified-', unsigned: 'unsigned-', bad_signature: 'bad-signature-' } as const

/** `listen --out`'s names: the arrival time, the request's number, then the verdict when there is one. */
const LISTEN_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-\d{4,}-(verified|unsigned|bad-signature)-/

/** The part of a capture's name that records `verdict` (none: no `--secret`, so no verdict). */
export function verdictFlag(verdict: CaptureVerdict | null): string {
  return verdict === null ? '' : FLAGS[verdict]
}

/**
 * The verdict a capture's file name records, or `null` when it records none: listen ran without
 * `--secret`, or the file did not come from listen (`store poisoned --out` writes only authentic
 * bodies). Read only where listen writes it, right after the arrival stamp, so no text a sender
 * chose (an event name) can pass for one.
 */
export function captureVerdict(name: string): CaptureVerdict | null {
  const flag = LISTEN_NAME.exec(name)?.[1]
  if (flag === undefined) return null
  return flag === 'bad-signature' ? 'bad_signature' : (flag as 'verified' | 'unsigned')
}

/** `store poisoned --out`'s names: bodies a receiver verified before storing them. */
const POISONED_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-poisoned-[0-9a-f]+\.json$/

/** `listen --out`'s names, with or without a verdict: the arrival stamp and the request's number. */
const LISTEN_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-\d{4,}-/

/**
 * Why `replay --secret` would sign a capture that records no verdict without anything to show it
 * is authentic, or `null` when its name says it is (`verified-`, or written by `store poisoned
 * --out`, whose bodies a receiver verified). A name is only what a file is called: this tells what
 * the tools that write them recorded, nothing more.
 */
export function unverifiedReason(name: string): string | null {
  if (captureVerdict(name) !== null || POISONED_NAME.test(name)) return null
  return LISTEN_STAMP.test(name)
    ? 'listen had no --secret, so nothing proves Smartsupp sent it'
    : 'its name records no verdict (not a listen --secret capture), so nothing proves Smartsupp sent it'
}
