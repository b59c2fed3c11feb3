import { type DecodeFailure, decodeFailure } from '../decode/decode-failure.js'
import type { ResolvedDecodeOptions } from './receive-options.js'

/** The failure handed to `onInvalid` for a body that does not inflate as its `Content-Encoding` says. */
export function notInflatableFailure(coding: string, options: ResolvedDecodeOptions): DecodeFailure {
  const message = `the body is not valid ${coding} data, though its Content-Encoding says ${coding}`
  const issue = {
    path: '',
    code: 'invalid_json',
    expected: `${coding} data`,
    found: 'other bytes',
    message,
  } as const
  return decodeFailure(options.mode, options.maxIssues === 0 ? [] : [issue], 1)
}
