import { checkRequest, type RequestHead } from './check-request.js'
import { methodNotAllowed, type ReceiveOutcome, signatureUnauthorized } from './receive-outcome.js'
import { WEBHOOK_SIGNATURE_HEADER } from './verify-webhook-signature.js'

const HEX_DIGEST = /^\s*[0-9a-fA-F]{64}\s*$/

/**
 * Decides what can be decided about a webhook before reading its body, in this order: non-POST →
 * 405; no `X-Smartsupp-Hmac`, several, or not 64 hex digits → 401 (`Connection: close`, body
 * unread); then as `checkRequest`: an unknown `Content-Encoding` → 415, a `content-length` over
 * the limit → 413. Returns `null` when the body should be read and verified.
 */
export function checkWebhookRequest(
  head: RequestHead,
  options: { readonly limit: number },
): ReceiveOutcome | null {
  if (head.method.toUpperCase() !== 'POST') return methodNotAllowed
  const header = head.headers[WEBHOOK_SIGNATURE_HEADER]
  if (typeof header !== 'string' || !HEX_DIGEST.test(header)) return signatureUnauthorized
  return checkRequest(head, { token: null, limit: options.limit }, 'webhook')
}
