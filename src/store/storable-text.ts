import { sha256Hex } from './sha256-hex.js'

// Smartsupp signs whatever ids and names it sends, and an authentic event must be storable (issue
// 17.4). PostgreSQL cannot hold a NUL in text, node-postgres and PGlite encode a lone surrogate
// as U+FFFD (two ids differing only there would merge), and a btree entry over ~2 700 bytes is
// refused. Such values are stored under an escaped form instead: lossless and readable when short,
// a SHA-256 when too long to index. The mapping is injective: a value that merely looks escaped is
// escaped too, so two different ids never share a stored form. The exact bytes stay in the body,
// and assembly reads the real id from them.

/** The longest stored conversation id, in UTF-8 bytes (with a key, it fits one btree entry). */
export const MAX_ID_BYTES = 500
/** The longest stored event key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1000

const ESCAPED = '~esc~'
const HASHED = '~sha256~'

/** Why PostgreSQL cannot hold (or index, within `maxBytes`) `text` as is; `null` when it can. */
export function unstorableReason(text: string, maxBytes = Number.POSITIVE_INFINITY): string | null {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit === 0) return 'holds a NUL character, which PostgreSQL text cannot store'
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = text.charCodeAt(i + 1)
      if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        return 'holds a lone surrogate (not Unicode text), which the drivers would store as U+FFFD'
      }
      i++
      bytes += 4
    } else bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3
  }
  if (bytes > maxBytes) return `is ${bytes} UTF-8 bytes long, more than the ${maxBytes} a store indexes`
  return null
}

/**
 * `text` as a store keeps it: itself when PostgreSQL can hold and index it (within `maxBytes`)
 * and it does not start like an escaped form; else `~esc~` and the text with `\`, NUL and lone
 * surrogates written as `\\`, `\u0000`, `\udXXX`; else (still too long) `~sha256~` and the
 * SHA-256 of that escaped text (internal).
 */
export function storableText(text: string, maxBytes = Number.POSITIVE_INFINITY): string {
  if (!text.startsWith(ESCAPED) && !text.startsWith(HASHED) && unstorableReason(text, maxBytes) === null) {
    return text
  }
  const escaped = escapeUnstorable(text)
  const short = `${ESCAPED}${escaped}`
  if (unstorableReason(short, maxBytes) === null) return short
  return `${HASHED}${sha256Hex(new TextEncoder().encode(escaped))}`
}

/**
 * The id a store keeps conversation `id` under: `id` itself for every ordinary id; an escaped
 * form (`~esc~…`, or `~sha256~…` past 500 UTF-8 bytes) for an id with a NUL or a lone surrogate,
 * a longer one, or one starting with `~esc~` or `~sha256~`. Use it to look a conversation up by
 * its real id (`store.events(storedConversationId(conversation.id))`).
 */
export function storedConversationId(id: string): string {
  return storableText(id, MAX_ID_BYTES)
}

/** `\` → `\\`, NUL → `\u0000`, a lone surrogate → `\udXXX`: injective, and well-formed Unicode. */
function escapeUnstorable(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit === 0x5c) out += '\\\\'
    else if (unit === 0) out += '\\u0000'
    else if (unit >= 0xd800 && unit <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      out += text.slice(i, i + 2)
      i++
    } else if (unit >= 0xd800 && unit <= 0xdfff) out += `\\u${unit.toString(16)}`
    else out += text[i]
  }
  return out
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}
