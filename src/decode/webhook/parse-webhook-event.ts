import type { Either } from 'fp-ts/lib/Either.js'
import type { WebhookEvent } from '../../model/webhook-event.js'
import { unreadableFailure } from '../decode-conversation.js'
import type { DecodeFailure } from '../decode-failure.js'
import { left } from '../either.js'
import { type DecodeOptions, resolveOptions } from '../options.js'
import { parseJsonBody, type RequestBody } from '../parse-conversation.js'
import { Report } from '../report.js'
import { decodeWebhookEventWith, WEBHOOK_SUBJECT } from './decode-webhook-event.js'

/**
 * Parses a raw webhook request body (UTF-8 text or bytes, a leading BOM tolerated) and decodes
 * it into a `WebhookEvent`, or a `DecodeFailure`, exactly as `parseConversation` does for the
 * POST hook. Verify the signature over the same bytes first (`verifyWebhookSignature`).
 */
export function parseWebhookEvent(
  body: RequestBody,
  options?: DecodeOptions,
): Either<DecodeFailure, WebhookEvent> {
  const { strict, maxIssues } = resolveOptions(options)
  const r = new Report(strict, maxIssues)
  try {
    const parsed = parseJsonBody(body, r, WEBHOOK_SUBJECT, 'decodeWebhookEvent')
    return 'failure' in parsed ? left(parsed.failure) : decodeWebhookEventWith(parsed.value, r)
  } catch (e) {
    // Only a value that is not a body can get here (e.g. a revoked Proxy): report, don't throw.
    return left(unreadableFailure(r, e, WEBHOOK_SUBJECT))
  }
}
