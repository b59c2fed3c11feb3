const WORD = /\S+/gu

/**
 * The number of whitespace-separated words in a text (internal). Emoji and punctuation between
 * spaces count as words; Smartsupp's own `wordsCount` follows rules of its own.
 */
export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0
}
