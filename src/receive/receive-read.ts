import type { DecodeFailure } from '../decode/decode-failure.js'
import { type InflatedRead, unreadOutcome } from './body-read.js'
import type { ResolvedCallbacks } from './handle-decoded.js'
import { notInflatableFailure } from './not-inflatable.js'
import { receiveBody } from './receive-body.js'
import type { ResolvedDecodeOptions, ResolvedReceiveOptions } from './receive-options.js'
import type { ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedBody } from './received-body.js'
import { type DeliveryKind, reportRefusal } from './refusal.js'
import type { ReceivedRequest } from './request-context.js'

/** A receiver of a body that was read: `receiveBody` (POST hook) or `receiveWebhook`. */
export type BodyReceiver<Req, Options, Outcome> = (
  req: ReceivedRequest<Req>,
  body: ReceivedBody,
  options: Options,
  failure?: DecodeFailure,
) => Promise<Outcome>

/**
 * Answers a body an adapter read off the wire: bytes go to `receiveBody`; bytes that do not
 * inflate reach `onInvalid` exactly as sent; over the limit (read or inflated) → 413 and
 * `onError` with a `SmartsuppRefusedError`; cut off → 400. Never rejects.
 */
export function receiveRead<Req>(
  req: ReceivedRequest<Req>,
  read: InflatedRead,
  options: ResolvedReceiveOptions<Req>,
): Promise<ReceiveOutcome> {
  return receiveReadWith(req, read, options, receiveBody, 'POST hook')
}

/** `receiveRead` with another receiver of the bytes (the webhook receiver). Never rejects. */
export function receiveReadWith<
  Req,
  Options extends {
    readonly decode: ResolvedDecodeOptions
    readonly limit: number
  } & Pick<ResolvedCallbacks<Req>, 'onError' | 'timeoutMs'>,
  Outcome,
>(
  req: ReceivedRequest<Req>,
  read: InflatedRead,
  options: Options,
  receive: BodyReceiver<Req, Options, Outcome>,
  kind: DeliveryKind,
): Promise<Outcome | ReceiveOutcome> {
  if (read.kind === 'body') return receive(req, { kind: 'bytes', bytes: read.bytes }, options)
  if (read.kind === 'not_inflatable') {
    const failure = notInflatableFailure(read.coding, options.decode)
    return receive(req, { kind: 'bytes', bytes: read.bytes }, options, failure)
  }
  return reportRefusal(req, unreadOutcome(read, options.limit, kind), options)
}
