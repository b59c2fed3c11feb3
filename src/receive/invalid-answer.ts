import type { DecodeFailure } from '../decode/decode-failure.js'
import type { DecodeIssue } from '../model/issue.js'
import type { JsonValue } from '../model/json.js'
import type { InvalidReply } from './receive-options.js'

/** The default answer body for an undecodable body: the failure's message and its issues. */
export function invalidErrorBody(failure: DecodeFailure): {
  readonly error: string
  readonly issues: readonly DecodeIssue[]
} {
  return { error: failure.message, issues: failure.issues }
}

/**
 * The status and body to answer an undecodable body with, given what `onInvalid` returned:
 * 400 `{ error, issues }` when it returned nothing. Throws a `TypeError` (the caller answers 500
 * and calls `onError`) when the reply's status is not an integer 200–599 or its body is not JSON.
 */
export function invalidAnswer(
  failure: DecodeFailure,
  // biome-ignore lint/suspicious/noConfusingVoidType: what a callback returning nothing returns
  reply: InvalidReply | undefined | void | null,
): { readonly status: number; readonly body: JsonValue | ReturnType<typeof invalidErrorBody> } {
  if (reply === undefined || reply === null) return { status: 400, body: invalidErrorBody(failure) }
  const { status, body } = reply as { status?: unknown; body?: JsonValue }
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(
      `smartsupp-hook: onInvalid returned { status: ${String(status)} }; return an integer HTTP status from 200 to 599, or nothing for the default 400`,
    )
  }
  if (body === undefined) return { status, body: invalidErrorBody(failure) }
  let text: string | undefined
  try {
    text = JSON.stringify(body)
  } catch {
    text = undefined
  }
  if (typeof text !== 'string') {
    throw new TypeError('smartsupp-hook: onInvalid returned a body that JSON.stringify cannot serialise')
  }
  return { status, body }
}
