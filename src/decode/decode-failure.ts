import type { DecodeIssue } from '../model/issue.js'
import type { DecodeMode } from './options.js'
import { capText, MAX_ISSUE_CHARS } from './report.js'

/** Why a body is not a usable conversation: the issues with their paths, at most `maxIssues` of them. */
export interface DecodeFailure {
  readonly mode: DecodeMode
  /** The first issues found, each with a path and a one-line message. */
  readonly issues: readonly DecodeIssue[]
  /** How many issues were found in all, including those beyond `issues.length`. */
  readonly issueCount: number
  /** One line: the first issue and how many more. */
  readonly message: string
}

export function decodeFailure(
  mode: DecodeMode,
  issues: readonly DecodeIssue[],
  issueCount: number,
  // What the body should have been, for the message: `conversation` or `webhook event`.
  subject = 'conversation',
): DecodeFailure {
  const first = issues[0]
  const rest = issueCount - 1
  const message =
    first === undefined
      ? `Not a valid Smartsupp ${subject} (${mode}): ${issueCount} issue${issueCount === 1 ? '' : 's'}`
      : `Not a valid Smartsupp ${subject} (${mode}): ${first.message}${
          rest > 0 ? ` (and ${rest} more issue${rest === 1 ? '' : 's'})` : ''
        }`
  // The first issue's message is bounded; so is this line, whatever the count.
  return { mode, issues, issueCount, message: capText(message, MAX_ISSUE_CHARS) }
}
