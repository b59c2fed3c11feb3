import type { DecodeIssue } from '../model/issue.js'
import type { DecodeFailure } from './decode-failure.js'

/** Thrown by the `…OrThrow` functions; carries the same `DecodeFailure` the Either would hold. */
export class SmartsuppDecodeError extends Error {
  override readonly name = 'SmartsuppDecodeError'
  readonly failure: DecodeFailure

  constructor(failure: DecodeFailure) {
    super(failure.message)
    this.failure = failure
  }

  /** The failure's issues, each with its path. */
  get issues(): readonly DecodeIssue[] {
    return this.failure.issues
  }
}
