import { type InflatedRead, unreadOutcome } from './body-read.js'
import { notInflatableFailure } from './not-inflatable.js'
import { receiveBody } from './receive-body.js'
import type { ResolvedReceiveOptions } from './receive-options.js'
import type { ReceiveOutcome } from './receive-outcome.js'
import type { ReceivedRequest } from './request-context.js'

/**
 * Answers a body an adapter read off the wire: bytes go to `receiveBody`; bytes that do not
 * inflate reach `onInvalid` exactly as sent; over the limit → 413; cut off → 400. Never rejects.
 */
export function receiveRead<Req>(
  req: ReceivedRequest<Req>,
  read: InflatedRead,
  options: ResolvedReceiveOptions<Req>,
): Promise<ReceiveOutcome> {
  if (read.kind === 'body') return receiveBody(req, { kind: 'bytes', bytes: read.bytes }, options)
  if (read.kind === 'not_inflatable') {
    const failure = notInflatableFailure(read.coding, options.decode)
    return receiveBody(req, { kind: 'bytes', bytes: read.bytes }, options, failure)
  }
  return Promise.resolve(unreadOutcome(read, options.limit))
}
