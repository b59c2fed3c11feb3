/**
 * Compares strings by Unicode code point, the order of their UTF-8 bytes: PostgreSQL's
 * `COLLATE "C"`, which the SQL stores use for keys and ids, so every store orders ties alike
 * (internal). `<` compares UTF-16 units and differs for characters beyond U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number
    const y = b.codePointAt(i) as number
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}
