import { startDeadline } from './deadline.js'
import type { ResolvedCallbacks } from './handle-decoded.js'
import type { RequestHeaders } from './receive-context.js'
import { type ReceiveOutcome, rejection } from './receive-outcome.js'
import { NO_BODY, type ReceivedBody } from './received-body.js'
import { type ReceivedRequest, RequestContext } from './request-context.js'
import { type RefusalDetails, SmartsuppRefusedError } from './smartsupp-refused-error.js'

/** Which receiver refused: the words its messages use. */
export type DeliveryKind = 'POST hook' | 'webhook'

/** An answer that refuses a delivery whose body the host does not get, with what `onError` is told. */
export interface RefusedOutcome extends ReceiveOutcome {
  readonly refusal: SmartsuppRefusedError
}

/** How much of an over-limit body was seen: its declared `Content-Length`, the bytes read, or inflated. */
export type SeenSize =
  | { readonly how: 'declared'; readonly bytes: number }
  | { readonly how: 'read'; readonly bytes: number }
  | { readonly how: 'inflated'; readonly bytes: number; readonly coding: string }

const CLOSE = { 'content-type': 'application/json; charset=utf-8', connection: 'close' } as const

function refused(outcome: ReceiveOutcome, details: RefusalDetails, message: string): RefusedOutcome {
  return { ...outcome, refusal: new SmartsuppRefusedError(details, message) }
}

/** `n bytes`, with a readable size beside it when large. */
function bytesText(n: number): string {
  if (n < 10_240) return `${n} bytes`
  const mib = n / 1_048_576
  return mib >= 1 ? `${n} bytes (${mib.toFixed(1)} MiB)` : `${n} bytes (${(n / 1024).toFixed(0)} KiB)`
}

/** A limit worth suggesting: the next power of two MiB that holds the body seen (or 4 × the limit). */
function suggestedLimit(limitBytes: number, seenBytes: number | null): string {
  const need = seenBytes !== null && seenBytes > limitBytes ? seenBytes : limitBytes * 4
  let mib = 1
  while (mib * 1_048_576 < need) mib *= 2
  return `limit: ${mib} * 1024 * 1024`
}

/** What happens to the delivery now, by kind: Smartsupp re-delivers webhooks; the POST hook documents no retries. */
function aftermath(kind: DeliveryKind): string {
  return kind === 'webhook'
    ? 'Smartsupp re-delivers a webhook answered anything but 200, and it will be refused the same way until the fix'
    : 'Smartsupp documents no retries for the POST hook, so it may not come again'
}

/** For a webhook refused unread: nothing of it was verified, so nothing of it reaches the host. */
function unverified(kind: DeliveryKind): string {
  return kind === 'webhook'
    ? ' Its signature could not be checked (the body was not read), so it may not be from Smartsupp; only its size and headers reach you.'
    : ''
}

/**
 * 413 for a body over this receiver's `limit`: the answer names the limit and the option, and
 * `onError` is told the size seen and how to raise the limit. The connection is closed.
 */
export function overLimit(limitBytes: number, seen: SeenSize, kind: DeliveryKind): RefusedOutcome {
  const how =
    seen.how === 'declared'
      ? `its Content-Length says ${bytesText(seen.bytes)}`
      : seen.how === 'read'
        ? `reading stopped after ${bytesText(seen.bytes)} (the rest was not read)`
        : `its ${seen.coding} body (${bytesText(seen.bytes)} sent) inflates to more than that (the limit applies to the inflated size)`
  const message = `smartsupp-hook: a ${kind} delivery was answered 413 and its body is lost to you: ${how}, over this receiver's limit of ${bytesText(limitBytes)} (option limit). ${aftermath(kind)}.${unverified(kind)} Fix: if deliveries this large are expected, raise the limit, e.g. ${suggestedLimit(limitBytes, seen.how === 'inflated' ? null : seen.bytes)}.`
  return refused(
    rejection(
      413,
      `Payload too large: the limit is ${limitBytes} bytes (this receiver's limit option)`,
      CLOSE,
    ),
    {
      status: 413,
      reason: 'too_large',
      refusedBy: 'receiver',
      bodyBytes: seen.bytes,
      limitBytes,
    },
    message,
  )
}

/** The declared `Content-Length` as a number of bytes, or `null`. */
export function declaredBytes(headers: RequestHeaders): number | null {
  const length = headers['content-length']
  if (typeof length !== 'string' || !/^\s*\d+\s*$/.test(length)) return null
  const n = Number(length)
  return Number.isSafeInteger(n) ? n : null
}

/**
 * 415 for a `Content-Encoding` this receiver does not inflate, the body unread: `runtime` when
 * the coding is one it knows but this runtime cannot inflate (br on a Fetch runtime without it).
 */
export function unsupportedCoding(
  headers: RequestHeaders,
  kind: DeliveryKind,
  runtime = false,
): RefusedOutcome {
  const header = headers['content-encoding']
  const shown = typeof header === 'string' ? JSON.stringify(header) : JSON.stringify(header ?? null)
  const size = declaredBytes(headers)
  const fix = runtime
    ? 'run this Fetch handler on a runtime whose DecompressionStream inflates br, or receive with smartsupp-hook/node or /express, which inflate br with node:zlib'
    : 'nothing to change here if it is not Smartsupp (which sends JSON as is); otherwise report the coding as an issue of smartsupp-hook'
  const message = `smartsupp-hook: a ${kind} delivery was answered 415 and its body${size === null ? '' : ` (${bytesText(size)} declared)`} was not read: its Content-Encoding is ${shown}, which ${runtime ? "this runtime's DecompressionStream cannot inflate" : 'this receiver does not inflate (it inflates gzip, deflate and br)'}. ${aftermath(kind)}.${unverified(kind)} Fix: ${fix}.`
  return refused(
    rejection(415, 'Unsupported Content-Encoding: send the body as is, or as gzip, deflate or br', CLOSE),
    { status: 415, reason: 'unsupported_encoding', refusedBy: 'receiver', bodyBytes: size, limitBytes: null },
    message,
  )
}

/** Whether an outcome refused a delivery whose body the host does not get (so `onError` is told). */
export function isRefused(outcome: object): outcome is RefusedOutcome {
  return (outcome as { refusal?: unknown }).refusal instanceof SmartsuppRefusedError
}

/**
 * Answers a refusal: `onError` gets its `SmartsuppRefusedError` (awaited at most `timeoutMs`; its
 * own failure ignored) with a context whose `rawBody` is `body` (none unless it was read), then
 * the outcome is returned without the error. Any other outcome is returned as it is, untold.
 */
export async function reportRefusal<Req, O extends object>(
  req: ReceivedRequest<Req>,
  outcome: O,
  options: Pick<ResolvedCallbacks<Req>, 'onError' | 'timeoutMs'>,
  body: ReceivedBody = NO_BODY,
): Promise<O> {
  if (!isRefused(outcome)) return outcome
  const { refusal, ...answer } = outcome
  const deadline = startDeadline(options.timeoutMs)
  try {
    await deadline.race(() => options.onError(refusal, new RequestContext(req, body, new Date())))
  } catch {
    // onError itself failed: answering is all that is left.
  } finally {
    deadline.clear()
  }
  return answer as unknown as O
}
