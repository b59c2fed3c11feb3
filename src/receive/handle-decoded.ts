import type { DecodeFailure } from '../decode/decode-failure.js'
import { startDeadline, TIMED_OUT } from './deadline.js'
import { invalidAnswer } from './invalid-answer.js'
import type { ReceiveContext } from './receive-context.js'
import type { OnInvalid } from './receive-options.js'
import { jsonHeaders, type ReceiveOutcome, timedOut } from './receive-outcome.js'
import type { RequestContext } from './request-context.js'
import { SmartsuppTimeoutError } from './smartsupp-timeout-error.js'

/** The callbacks and deadline every receiver runs after decoding, checked once at creation. */
export interface ResolvedCallbacks<Req> {
  readonly onInvalid: OnInvalid<ReceiveContext<Req>>
  readonly onError: (error: unknown, context: ReceiveContext<Req>) => unknown
  readonly timeoutMs: number
}

/** What `handleDecoded` decided: a `ReceiveOutcome` whose decoded value (conversation or event) is `value`. */
export interface HandledOutcome<T> extends Omit<ReceiveOutcome, 'conversation'> {
  /** The decoded value when there is one, else `null`. */
  readonly value: T | null
}

/**
 * The shared second half of every receiver (POST hook and webhooks): decoded → `onValue`
 * (awaited) → 200; not decodable → `onInvalid` with the raw bytes → 400 `{ error, issues }` (or
 * what it returned); a callback throws or returns a bad reply → `onError` → 500; the callbacks
 * take longer than `timeoutMs` → 503 and `onError` with a `SmartsuppTimeoutError` (not awaited).
 * `subject` names what failed in the 500 body ("conversation", "event"). Never rejects.
 */
export async function handleDecoded<Req, T>(
  context: RequestContext<Req>,
  result:
    | { readonly _tag: 'Right'; readonly right: T }
    | { readonly _tag: 'Left'; readonly left: DecodeFailure },
  onValue: (value: T, context: ReceiveContext<Req>) => unknown,
  options: ResolvedCallbacks<Req>,
  subject: string,
): Promise<HandledOutcome<T>> {
  const deadline = startDeadline(options.timeoutMs)
  const value = result._tag === 'Right' ? result.right : null
  const failure = result._tag === 'Left' ? result.left : null
  const lateError = (): HandledOutcome<T> => {
    // The callback that hung may hang again: onError is called, not awaited, and its failure ignored.
    Promise.resolve()
      .then(() =>
        options.onError(new SmartsuppTimeoutError(options.timeoutMs, context.rawBody.length), context),
      )
      .catch(() => {})
    const { conversation: _, ...late } = timedOut(options.timeoutMs)
    return { ...late, value, failure }
  }
  try {
    if (result._tag === 'Right') {
      const done = await deadline.race(() => onValue(result.right, context))
      if (done === TIMED_OUT) return lateError()
      return { status: 200, headers: jsonHeaders, body: { ok: true }, result: 'delivered', value, failure }
    }
    const reply = await deadline.race(() => options.onInvalid(result.left, context.rawBody, context))
    if (reply === TIMED_OUT) return lateError()
    const answer = invalidAnswer(result.left, reply)
    return {
      status: answer.status,
      headers: jsonHeaders,
      body: answer.body,
      result: 'invalid',
      value,
      failure,
    }
  } catch (error) {
    // onError is awaited within what is left of the deadline; past it, 500 is answered anyway.
    await deadline.race(() => options.onError(error, context)).catch(() => {})
    return {
      status: 500,
      headers: jsonHeaders,
      body: { error: `The receiver failed while handling this ${subject}` },
      result: 'failed',
      value,
      failure,
    }
  } finally {
    deadline.clear()
  }
}
