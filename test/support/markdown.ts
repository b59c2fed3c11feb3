// Reading the project's Markdown the way GitHub renders it: which files are the docs, their fenced
// code blocks, their links and their headings' anchors. Used by the docs tests (links, code blocks).
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root, ending in a slash. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The user-facing Markdown files, relative to the root: README.md and every docs/*.md. */
export function docFiles(): string[] {
  const docs = readdirSync(new URL('../../docs/', import.meta.url))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`)
  return ['README.md', ...docs]
}

/** A doc file's text, by its path relative to the root. */
export function readDoc(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
}

/** One fenced code block. */
export interface CodeBlock {
  /** The file it is in, relative to the root. */
  file: string
  /** 1-based line of its opening fence. */
  line: number
  /** The fence's info string's first word: `ts`, `sh`, `text`… (`''` when none). */
  lang: string
  /** The code, ending in a newline. */
  code: string
  /** The HTML comments directly above the fence (blank lines between them allowed), in order. */
  comments: string[]
}

/** Every fenced code block of a Markdown text, with the HTML comments just above it. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n')
  const blocks: CodeBlock[] = []
  let pending: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const comment = /^<!--([\s\S]*?)-->\s*$/.exec(line)
    if (comment !== null) {
      pending.push((comment[1] ?? '').trim())
      continue
    }
    const fence = /^(```+|~~~+)\s*([^\s`]*)/.exec(line)
    if (fence === null) {
      if (line.trim() !== '') pending = []
      continue
    }
    const marker = fence[1] ?? '```'
    const end = lines.findIndex((l, j) => j > i && l.startsWith(marker) && l.trim() === marker)
    if (end === -1) throw new Error(`${file}:${i + 1}: a code fence that is never closed`)
    const code = lines.slice(i + 1, end).join('\n')
    blocks.push({ file, line: i + 1, lang: fence[2] ?? '', code: `${code}\n`, comments: pending })
    pending = []
    i = end
  }
  return blocks
}

/** The text's lines, with those of fenced code blocks blanked (headings and links live outside them). */
function outsideFences(text: string): string[] {
  const out: string[] = []
  let fence: string | null = null
  for (const line of text.split('\n')) {
    const open = /^(```+|~~~+)/.exec(line)?.[1]
    if (fence === null && open !== undefined) {
      fence = open
      out.push('')
    } else if (fence !== null) {
      if (line.startsWith(fence) && line.trim() === fence) fence = null
      out.push('')
    } else {
      out.push(line)
    }
  }
  return out
}

/** One Markdown link: `[text](target)`. */
export interface MarkdownLink {
  line: number
  target: string
}

/** Every inline link and image outside code, with its 1-based line. */
export function links(text: string): MarkdownLink[] {
  const found: MarkdownLink[] = []
  // Joined, so a link whose text wraps onto the next line is still one link.
  const joined = outsideFences(text)
    .map((line) => line.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length)))
    .join('\n')
  const pattern = /!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g
  for (const match of joined.matchAll(pattern)) {
    const line = joined.slice(0, match.index).split('\n').length
    found.push({ line, target: match[1] ?? '' })
  }
  return found
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation removed (letters, digits,
 * `-` and `_` kept), each space a `-`; a repeated anchor gets `-1`, `-2`…
 */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading === null) continue
    const plain = (heading[1] ?? '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text only
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '')
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}
