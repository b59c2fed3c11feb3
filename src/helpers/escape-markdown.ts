// Punctuation that starts emphasis, code, links, HTML or entities anywhere in a line, and what
// GFM turns into a link by itself: the `@` of an e-mail address (also `mailto:`, `xmpp:`), the
// `:` of `http://` (any `://`) and the `.` of `www.` (in any letter case).
const INLINE_SPECIAL = /[\\`*_[\]<>&#|~@]|:(?=\/\/)|(?<=www)\./gi
// What starts a block at the start of a line: a list item, a heading underline, a table's
// delimiter row (`:-`, `-:`).
const BLOCK_START = /^([-+=:]|\d+(?=[.)]))/

/**
 * Escapes one line of text so Markdown (CommonMark, GFM) renders it as the same text: no
 * emphasis, links (GFM autolinks included), inline HTML or entities (internal). Leading
 * indentation is dropped.
 */
export function escapeMarkdownLine(line: string): string {
  const escaped = line.trimStart().replace(INLINE_SPECIAL, (ch) => `\\${ch}`)
  return escaped.replace(BLOCK_START, (start) => (/\d/.test(start) ? `${start}\\` : `\\${start}`))
}
