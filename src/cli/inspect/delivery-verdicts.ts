import type { Either } from 'fp-ts/lib/Either.js'
import type { DecodeFailure } from '../../decode/decode-failure.js'
import type { Conversation } from '../../model/conversation.js'
import type { WebhookEvent } from '../../model/webhook-event.js'
import type { WebhookSignatureResult } from '../../receive/verify-webhook-signature.js'
import type { DecodeVerdict, SignatureVerdict } from './inspect-api-types.js'

/** The page's verdict from `verifyWebhookSignature`'s result, for `secretCount` secrets. */
export function signatureVerdictOf(result: WebhookSignatureResult, secretCount: number): SignatureVerdict {
  if (result.valid) return { kind: 'valid', secretIndex: result.secretIndex, secretCount }
  return { kind: result.reason, message: result.message.replace(/^smartsupp-hook: /, '') }
}

/** The page's verdict from a decoder's result. */
export function decodeVerdictOf(
  as: 'webhook' | 'conversation',
  result: Either<DecodeFailure, WebhookEvent | Conversation>,
): DecodeVerdict {
  if (result._tag === 'Left') {
    const { issues, issueCount, message } = result.left
    return { kind: 'invalid', as, issues, issueCount, message }
  }
  return { kind: 'decoded', as, warningCount: result.right.warningCount, warnings: result.right.warnings }
}

/**
 * A decoded value as JSON for the page: the model's own fields, dates as ISO strings, without
 * `raw` (the body itself is shown beside it) and without an assembled conversation's `events`.
 * Cut at 64 levels (an unknown event's `data` is kept as sent, and may nest deeper), so no
 * value can overflow the stack.
 */
export function modelJson(value: WebhookEvent | Conversation): unknown {
  const { raw: _raw, ...rest } = value as unknown as { raw?: unknown } & Record<string, unknown>
  return plain(rest)
}

const MAX_DEPTH = 64

function plain(root: unknown): unknown {
  const convert = (value: unknown, depth: number): unknown => {
    if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null
    if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value
    if (depth >= MAX_DEPTH) return '…'
    if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1))
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: convert((value as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return out
  }
  return convert(root, 0)
}
