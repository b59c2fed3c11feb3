/**
 * What went wrong at a path:
 * - `invalid_json`: the body is not JSON (or, for bytes, not UTF-8 in strict mode);
 * - `invalid_utf8`: the bytes were not valid UTF-8 and were read with U+FFFD replacements;
 * - `invalid_type`: a value of the wrong type or format;
 * - `missing`: a documented field is absent;
 * - `unknown_field`: a field the spec does not document (kept in `raw`);
 * - `legacy_form`: the pre-2018 form of a field (read into the current model);
 * - `newer_form`: a form Smartsupp sends that its documentation does not show yet, such as the
 *   flat visitor variables of 2020 (read into the current model);
 * - `unexpected_error`: the input could not be read at all (e.g. a throwing getter).
 */
export type IssueCode =
  | 'invalid_json'
  | 'invalid_utf8'
  | 'invalid_type'
  | 'missing'
  | 'unknown_field'
  | 'legacy_form'
  | 'newer_form'
  | 'unexpected_error'

/**
 * One problem found while decoding, as an error (in a `DecodeFailure`) or as a warning (in
 * `Conversation.warnings`). `path` is plain notation: `messages[3].sentAt`, `""` for the root.
 */
export interface DecodeIssue {
  readonly path: string
  readonly code: IssueCode
  /** What the spec documents there, e.g. `an integer (epoch milliseconds)`. */
  readonly expected: string
  /** What the input held, shortened, e.g. `"abc" (a string)` or `nothing`. */
  readonly found: string
  /** One line for people: `channel.id: expected an integer, found "abc" (a string)`. */
  readonly message: string
}
