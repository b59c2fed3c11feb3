import type { DecodeIssue, IssueCode } from '../model/issue.js'
import { describeValue } from './describe-value.js'

/** Where an issue is: a finished path, or a function that builds it only if the issue is kept. */
export type PathSource = string | (() => string)

/**
 * Past this many issues an array's remaining entries are not read: a host can pass a sparse
 * array of length 2³² − 1 that costs nothing to make, and counting its holes must not take minutes.
 * JSON text cannot get here: one issue needs at least a byte of body.
 */
export const MAX_COUNTED_ISSUES = 1_000_000

/** No issue's message is longer, whatever the input or the host threw. */
export const MAX_ISSUE_CHARS = 1000
/** Each part of an issue is cut to this, so that the message stays under `MAX_ISSUE_CHARS`. */
const MAX_PART_CHARS = 300

/** `text`, or its first `max - 1` characters and `…`. */
export function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** One issue; every part is bounded (paths, values and reasons are cut), and so is the message. */
export function issue(
  fullPath: string,
  code: IssueCode,
  fullExpected: string,
  fullFound: string,
  fullDetail?: string,
): DecodeIssue {
  const path = capText(fullPath, MAX_PART_CHARS)
  const expected = capText(fullExpected, MAX_PART_CHARS)
  const found = capText(fullFound, MAX_PART_CHARS)
  const detail = fullDetail === undefined ? undefined : capText(fullDetail, MAX_PART_CHARS)
  const where = path === '' ? '(root)' : path
  const message =
    code === 'unknown_field'
      ? `${where}: not in the spec; kept in raw (found ${found})`
      : code === 'legacy_form'
        ? `${where}: pre-2018 form ${found}; ${detail ?? `read as ${expected}`}`
        : code === 'newer_form'
          ? `${where}: undocumented newer form ${found}; ${detail ?? `documented as ${expected}`}`
          : `${where}: expected ${expected}, found ${found}${detail === undefined ? '' : ` (${detail})`}`
  return { path, code, expected, found, message: capText(message, MAX_ISSUE_CHARS) }
}

/**
 * Collects what one decode finds. Errors make the decode fail; deviations are warnings in
 * lenient mode and errors in strict mode. Past `max`, issues are counted but not described,
 * so hostile input costs no more than counting.
 */
export class Report {
  readonly errors: DecodeIssue[] = []
  errorCount = 0
  readonly warnings: DecodeIssue[] = []
  warningCount = 0
  /**
   * The value came from this library's own `JSON.parse` (no reviver): every object in it is a
   * plain object with only own data fields, so readers skip the own-properties check (`ownFields`).
   */
  plainJson = false

  /** Errors plus warnings so far: a reader compares it before and after to see if anything was off. */
  get seen(): number {
    return this.errorCount + this.warningCount
  }

  constructor(
    readonly strict: boolean,
    readonly max: number,
  ) {}

  /**
   * True once so many issues were found that the caller should stop walking an array; it then
   * reports one last error saying how many entries were left unread.
   */
  get exhausted(): boolean {
    return this.errorCount + this.warningCount >= MAX_COUNTED_ISSUES
  }

  /** A problem with an essential field: the conversation cannot be decoded. */
  error(path: PathSource, code: IssueCode, expected: string, value: unknown, detail?: string): void {
    if (this.errorCount++ < this.max) this.errors.push(make(path, code, expected, value, detail))
  }

  /** A deviation from the documented form that lenient mode can live with. */
  deviation(path: PathSource, code: IssueCode, expected: string, value: unknown, detail?: string): void {
    if (this.strict) {
      this.error(path, code, expected, value, detail)
    } else if (this.warningCount++ < this.max) {
      this.warnings.push(make(path, code, expected, value, detail))
    }
  }
}

function make(
  path: PathSource,
  code: IssueCode,
  expected: string,
  value: unknown,
  detail?: string,
): DecodeIssue {
  return issue(typeof path === 'string' ? path : path(), code, expected, describeValue(value), detail)
}
