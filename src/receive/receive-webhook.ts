import type { DecodeFailure } from '../decode/decode-failure.js'
import { parseWebhookEvent } from '../decode/webhook/parse-webhook-event.js'
import { handleDecoded } from './handle-decoded.js'
import { rawBytes } from './raw-bytes.js'
import { readableEnvelope } from './readable-envelope.js'
import {
  appIdUnauthorized,
  type ReceiveOutcome,
  signatureUnauthorized,
  type WebhookReceiveOutcome,
} from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { reportRefusal } from './refusal.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'
import { tooOld } from './too-old.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from './verify-webhook-signature.js'
import type { ResolvedWebhookReceiveOptions } from './webhook-receive-options.js'

/**
 * Receives one webhook body that passed `checkWebhookRequest`: verifies `X-Smartsupp-Hmac` over
 * the bytes first (wrong → 401, no callback), then decodes (`parseWebhookEvent`), then checks the
 * `appId` pin (an `app_id` naming another app → 401, no callback) and the `maxEventAgeMs` window (older → 403 and
 * `onError` with a `SmartsuppRefusedError`, no other callback) — for a body that did not decode
 * too, whenever it is a JSON object whose fields can be read — then runs the callbacks exactly as
 * the POST hook's `receiveBody`: `onEvent` → 200, `onInvalid` with the exact bytes → 400, a throw
 * → `onError` + 500, past `timeoutMs` → 503. A body a parser already read (`text`, `parsed`) is
 * verified over its re-encoding; when that does not match, the answer is 401 with no callback, as
 * for any body that cannot be verified. `failure`, when given, stands for decoding (a body that
 * did not inflate). Never rejects.
 */
export async function receiveWebhook<Req>(
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  options: ResolvedWebhookReceiveOptions<Req>,
  failure?: DecodeFailure,
): Promise<WebhookReceiveOutcome> {
  const bytes = rawBytes(body)
  const header = req.headers[WEBHOOK_SIGNATURE_HEADER]
  const check = await verifyWebhookSignature(bytes, header, options.secret)
  // Wrong, or not verifiable (a parser's output that no longer gives the signed bytes): 401 and no
  // callback, since nothing proves Smartsupp sent it. The adapter warns once about the mounting.
  if (!check.valid) return withEvent(signatureUnauthorized)
  // The signature proves these are the bytes Smartsupp sent, even when rebuilt from a parser's output.
  const exact = { kind: 'bytes', bytes } as const
  const result =
    failure === undefined
      ? parseWebhookEvent(bytes, options.decode)
      : ({ _tag: 'Left', left: failure } as const)
  const pinned = options.appId !== null || options.maxEventAgeMs !== null
  // An undecodable body is still read as far as it goes (a body that did not inflate cannot be).
  const envelope =
    result._tag === 'Right'
      ? { appId: result.right.appId, timestamp: result.right.timestamp }
      : pinned && failure === undefined
        ? readableEnvelope(bytes)
        : null
  // Refused only when the body names another app: an authentic body that names none (or not as a
  // string) cannot be shown to be another app's, so it is kept (onInvalid), not lost to a 401.
  if (
    envelope !== null &&
    options.appId !== null &&
    envelope.appId !== null &&
    envelope.appId !== options.appId
  ) {
    return withEvent(appIdUnauthorized)
  }
  if (envelope !== null && options.maxEventAgeMs !== null && envelope.timestamp !== null) {
    const ageMs = Date.now() - envelope.timestamp.getTime()
    if (ageMs > options.maxEventAgeMs) {
      const name = result._tag === 'Right' ? result.right.event : null
      const refusal = tooOld(envelope.timestamp, ageMs, options.maxEventAgeMs, bytes.length, name)
      return withEvent(await reportRefusal(req, refusal, options, exact))
    }
  }
  const context = new RequestContext(req, exact, new Date())
  const { value, ...outcome } = await handleDecoded(context, result, options.onEvent, options, 'event')
  return { ...outcome, event: value }
}

/** A POST-hook outcome (a rejection) as a webhook outcome. */
export function withEvent(outcome: ReceiveOutcome): WebhookReceiveOutcome {
  const { conversation: _, ...rest } = outcome
  return { ...rest, event: null }
}
