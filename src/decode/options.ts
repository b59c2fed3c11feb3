/**
 * `'lenient'` (the default, for production receivers) accepts everything but a broken
 * essential field and reports the rest as warnings; `'strict'` (for contract tests and CI)
 * fails on any deviation from the current documented form.
 */
export type DecodeMode = 'lenient' | 'strict'

/** Options of `parseConversation` and `decodeConversation`. */
export interface DecodeOptions {
  /** Default `'lenient'`. */
  readonly mode?: DecodeMode
  /** How many issues (and warnings) are kept with their details; the rest are only counted. Default 50. */
  readonly maxIssues?: number
}

export const DEFAULT_MAX_ISSUES = 50

/** Checks options once per call; a wrong option is the caller's bug, so it throws a TypeError. */
export function resolveOptions(options: DecodeOptions | undefined): { strict: boolean; maxIssues: number } {
  if (options === undefined) return { strict: false, maxIssues: DEFAULT_MAX_ISSUES }
  const { mode = 'lenient', maxIssues = DEFAULT_MAX_ISSUES } = options
  if (mode !== 'lenient' && mode !== 'strict') {
    throw new TypeError(`smartsupp-hook: options.mode must be 'lenient' or 'strict', got ${String(mode)}`)
  }
  if (!Number.isSafeInteger(maxIssues) || maxIssues < 0) {
    throw new TypeError(
      `smartsupp-hook: options.maxIssues must be a whole number >= 0, got ${String(maxIssues)}`,
    )
  }
  return { strict: mode === 'strict', maxIssues }
}
