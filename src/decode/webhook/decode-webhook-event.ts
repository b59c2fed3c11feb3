import type { Either } from 'fp-ts/lib/Either.js'
import type { WebhookEvent } from '../../model/webhook-event.js'
import { unreadableFailure } from '../decode-conversation.js'
import { type DecodeFailure, decodeFailure } from '../decode-failure.js'
import { left, right } from '../either.js'
import { type DecodeOptions, resolveOptions } from '../options.js'
import { Report } from '../report.js'
import { readWebhookEvent } from './read-webhook-event.js'

/** The subject of webhook failure messages: "Not a valid Smartsupp webhook event (lenient): …". */
export const WEBHOOK_SUBJECT = 'webhook event'

/**
 * Decodes an already-parsed JSON value into a `WebhookEvent`, or a `DecodeFailure` listing what
 * is wrong. Lenient mode (the default) fails only when the envelope is unusable (`event` not a
 * string, `data` not an object); an unknown event name is accepted as `known: false`. Never
 * throws for any input; only invalid `options` throw a `TypeError`.
 */
export function decodeWebhookEvent(
  value: unknown,
  options?: DecodeOptions,
): Either<DecodeFailure, WebhookEvent> {
  const { strict, maxIssues } = resolveOptions(options)
  return decodeWebhookEventWith(value, new Report(strict, maxIssues))
}

/** Runs the webhook reader with a prepared report (internal; the parser may have noted a warning). */
export function decodeWebhookEventWith(value: unknown, r: Report): Either<DecodeFailure, WebhookEvent> {
  let event: WebhookEvent | undefined
  try {
    event = readWebhookEvent(value, r)
  } catch (e) {
    // Only a non-JSON input can get here (a throwing getter, a revoked Proxy): report, don't throw.
    return left(unreadableFailure(r, e, WEBHOOK_SUBJECT))
  }
  if (event === undefined) {
    return left(decodeFailure(r.strict ? 'strict' : 'lenient', r.errors, r.errorCount, WEBHOOK_SUBJECT))
  }
  return right(event)
}
