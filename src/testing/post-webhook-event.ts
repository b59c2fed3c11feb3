import {
  signWebhookBody,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookSecret,
} from '../receive/verify-webhook-signature.js'
import { viewBytes } from '../receive/view-bytes.js'
import {
  type FetchHandler,
  type PostConversationOptions,
  type PostTarget,
  postConversation,
} from './post-conversation.js'

/** Options of `postWebhookEvent`: the secret that signs the body, and those of `postConversation`. */
export interface PostWebhookEventOptions extends PostConversationOptions {
  /** The app's shared secret: text (UTF-8) or bytes. */
  readonly secret: WebhookSecret
}

/**
 * Sends a webhook event the way Smartsupp does: a POST of the JSON body with `X-Smartsupp-Hmac`,
 * the lowercase hex HMAC-SHA256 of exactly the bytes sent, keyed with `secret`. Targets as for
 * `postConversation` (a URL, a Fetch handler, a Node listener or Express app, an `http.Server`).
 * An object is sent as `JSON.stringify` writes it; a string or bytes are signed and sent
 * unchanged. A `headers` option overrides the signature (to test a wrong one).
 */
export function postWebhookEvent(
  target: FetchHandler,
  event: unknown,
  options: PostWebhookEventOptions,
): Promise<Response>
export function postWebhookEvent(
  target: PostTarget,
  event: unknown,
  options: PostWebhookEventOptions,
): Promise<Response>
export async function postWebhookEvent(
  target: PostTarget,
  event: unknown,
  options: PostWebhookEventOptions,
): Promise<Response> {
  if (options === undefined || options.secret === undefined) {
    throw new TypeError('smartsupp-hook/testing: postWebhookEvent needs { secret } to sign the event')
  }
  // Bytes of any realm are sent (and signed) unchanged.
  const body = typeof event === 'string' ? event : (viewBytes(event) ?? JSON.stringify(event))
  if (body === undefined) {
    throw new TypeError(
      'smartsupp-hook/testing: postWebhookEvent needs a JSON value, a string or bytes as the event',
    )
  }
  const { secret, headers, ...rest } = options
  const signature = await signWebhookBody(body, secret)
  return postConversation(target, body, {
    ...rest,
    headers: { [WEBHOOK_SIGNATURE_HEADER]: signature, ...headers },
  })
}
