// Punctuation that starts emphasis, code, links, HTML or entities anywhere in a line.
const INLINE_SPECIAL = /[\\`*_[\]<>&#|~]/g
// What starts a block (list item, heading underline) at the start of a line.
const BLOCK_START = /^([-+=]|\d+(?=[.)]))/

/**
 * Escapes one line of text so Markdown (CommonMark, GFM) renders it as the same text: no
 * emphasis, links, inline HTML or entities (internal). Leading indentation is dropped.
 */
export function escapeMarkdownLine(line: string): string {
  const escaped = line.trimStart().replace(INLINE_SPECIAL, (ch) => `\\${ch}`)
  return escaped.replace(BLOCK_START, (start) => (/\d/.test(start) ? `${start}\\` : `\\${start}`))
}
