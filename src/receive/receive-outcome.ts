import type { DecodeFailure } from '../decode/decode-failure.js'
import type { PostHookConversation } from '../model/conversation.js'
import type { DecodeIssue } from '../model/issue.js'
import type { JsonValue } from '../model/json.js'
import type { WebhookEvent } from '../model/webhook-event.js'

/** The JSON an adapter answers with: `{ ok: true }`, or an error with the decode issues when there are any. */
export type ResponseBody =
  | { readonly ok: true }
  | { readonly error: string; readonly issues?: readonly DecodeIssue[] }
  | JsonValue

/**
 * What the receiver decided for one request: the status and JSON body to answer with, and what
 * happened. Adapters only write `status`, `headers` and `body` to their framework's response.
 */
export interface ReceiveOutcome {
  /** 200, 400, 401, 403, 405, 413, 415, 500 or 503 (or what `onInvalid` chose). */
  readonly status: number
  /** Response headers to set; always includes `content-type`. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: ResponseBody
  /**
   * - `delivered`: decoded, and `onConversation` resolved;
   * - `invalid`: not decodable, `onInvalid` ran (or there is none);
   * - `rejected`: refused before decoding (method, token, size, encoding, cut-off body) or, for a
   *   webhook, before its callbacks (signature, `appId`, `maxEventAgeMs`);
   * - `failed`: a callback threw, `onError` ran;
   * - `timed_out`: a callback did not settle within `timeoutMs` (503), `onError` ran.
   */
  readonly result: 'delivered' | 'invalid' | 'rejected' | 'failed' | 'timed_out'
  /** The decoded conversation when there is one, else `null`. */
  readonly conversation: PostHookConversation | null
  /** Why the body could not be decoded, else `null`. */
  readonly failure: DecodeFailure | null
}

/** What a webhook receiver decided: a `ReceiveOutcome` with the decoded `event` in place of a conversation. */
export interface WebhookReceiveOutcome extends Omit<ReceiveOutcome, 'conversation'> {
  /** The authentic, decoded event when there is one, else `null`. */
  readonly event: WebhookEvent | null
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' } as const

/** An outcome that refuses the request before decoding. */
export function rejection(
  status: number,
  error: string,
  headers: Readonly<Record<string, string>> = JSON_TYPE,
): ReceiveOutcome {
  return { status, headers, body: { error }, result: 'rejected', conversation: null, failure: null }
}

/** The headers of every JSON answer. */
export const jsonHeaders: Readonly<Record<string, string>> = JSON_TYPE

/** 405 for any method but POST, with `Allow: POST`. */
export const methodNotAllowed: ReceiveOutcome = rejection(
  405,
  'Method not allowed: Smartsupp posts hooks with POST',
  {
    ...JSON_TYPE,
    allow: 'POST',
  },
)

/** 401 for a missing or wrong token; says nothing about which. The connection is closed, so a body still coming is never read. */
export const unauthorized: ReceiveOutcome = rejection(401, 'Unauthorized: missing or wrong token', {
  ...JSON_TYPE,
  connection: 'close',
})

/**
 * 401 for a webhook whose `X-Smartsupp-Hmac` is missing, malformed or matches no secret over the
 * bytes received; says nothing about which. The connection is closed, so a body still coming is never read.
 */
export const signatureUnauthorized: ReceiveOutcome = rejection(
  401,
  'Unauthorized: missing or wrong X-Smartsupp-Hmac signature',
  { ...JSON_TYPE, connection: 'close' },
)

/** 401 for an authentic webhook of another app than the `appId` pin; no callback runs. */
export const appIdUnauthorized: ReceiveOutcome = rejection(
  401,
  'Unauthorized: this receiver accepts events of another app_id (option appId)',
)

/**
 * 503 when a callback did not settle within `timeoutMs`: the sender may retry; the late result is
 * ignored. (413 and 415 are built in `refusal.ts`, with what `onError` is told.)
 */
export function timedOut(timeoutMs: number): ReceiveOutcome {
  return {
    status: 503,
    headers: JSON_TYPE,
    body: { error: `The receiver did not finish within ${timeoutMs} ms (option timeoutMs); try again later` },
    result: 'timed_out',
    conversation: null,
    failure: null,
  }
}

/** 400 for a body that ended before its end (the client went away): nothing was decoded or called. */
export const bodyCutOff: ReceiveOutcome = rejection(400, 'The request body was cut off before its end')

/** 500 for an unexpected failure inside the receiver itself; says nothing about the cause. */
export const internalError: ReceiveOutcome = {
  status: 500,
  headers: JSON_TYPE,
  body: { error: 'Internal error in the Smartsupp hook receiver' },
  result: 'failed',
  conversation: null,
  failure: null,
}
