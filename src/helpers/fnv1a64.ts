/**
 * A running 64-bit FNV-1a hash over UTF-8 bytes (internal), fed text without encoding it first:
 * each UTF-16 code unit is turned into its UTF-8 bytes as it is hashed, as `TextEncoder` would
 * (a lone surrogate as U+FFFD). Pure arithmetic, so it runs in any runtime without `node:crypto`; not cryptographic.
 */
export class Fnv1a64 {
  // The 64-bit state as two 32-bit halves kept as signed 32-bit integers, which V8 keeps unboxed
  // (halves held as unsigned doubles ran 5× slower; four 16-bit limbs, 1.3× slower).
  // Offset basis 0xcbf29ce484222325.
  #lo = 0x84222325 | 0
  #hi = 0xcbf29ce4 | 0

  /** Hashes one byte (0–255). */
  byte(b: number): void {
    const lo = this.#lo ^ b
    // × (2^40 + 0x1b3) mod 2^64: the low half is lo × 0x1b3 mod 2^32; the high half gets
    // hi × 0x1b3, the bits of lo × 0x1b3 above 32 (from its two 16-bit parts) and lo × 2^8.
    const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16
    this.#hi = (Math.imul(this.#hi, 0x1b3) + carry + (lo << 8)) | 0
    this.#lo = Math.imul(lo, 0x1b3)
  }

  /** Hashes the UTF-8 bytes of `text` (a lone surrogate as U+FFFD's bytes, as `TextEncoder` writes it). */
  text(text: string): void {
    // Runs of ASCII are hashed with the state in local variables (twice as fast as a call per
    // byte); anything else goes through `byte`. `text` and `jsonString` have a loop each, so
    // each stays small and sees one kind of input (one shared loop ran twice as slow at times).
    let lo = this.#lo
    let hi = this.#hi
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80) {
        // As in `byte`.
        lo ^= c
        const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16
        hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) | 0
        lo = Math.imul(lo, 0x1b3)
        continue
      }
      this.#lo = lo
      this.#hi = hi
      i = hashWide(this, text, i, c)
      lo = this.#lo
      hi = this.#hi
    }
    this.#lo = lo
    this.#hi = hi
  }

  /**
   * Hashes the UTF-8 bytes of `JSON.stringify(text)` without building it: the quotes, `\"`, `\\`,
   * the short escapes and `\u00xx` for control characters, `\udxxx` for a lone surrogate.
   */
  jsonString(text: string): void {
    this.byte(0x22)
    let lo = this.#lo
    let hi = this.#hi
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80 && c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        // As in `byte`.
        lo ^= c
        const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16
        hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) | 0
        lo = Math.imul(lo, 0x1b3)
        continue
      }
      this.#lo = lo
      this.#hi = hi
      i = hashJsonEscaped(this, text, i, c)
      lo = this.#lo
      hi = this.#hi
    }
    this.#lo = lo
    this.#hi = hi
    this.byte(0x22)
  }

  /** The hash as 16 lowercase hex digits. */
  hex(): string {
    return (this.#hi >>> 0).toString(16).padStart(8, '0') + (this.#lo >>> 0).toString(16).padStart(8, '0')
  }
}

/**
 * Hashes the UTF-8 bytes of the code unit `c` ≥ 0x80 at `i` (with the next one for a pair);
 * returns the last index used.
 */
function hashWide(hash: Fnv1a64, text: string, i: number, c: number): number {
  if (c < 0x800) {
    hash.byte(0xc0 | (c >> 6))
    hash.byte(0x80 | (c & 0x3f))
    return i
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    if (!isPairAt(text, i, c)) {
      // A lone surrogate: TextEncoder writes U+FFFD.
      hash.byte(0xef)
      hash.byte(0xbf)
      hash.byte(0xbd)
      return i
    }
    const point = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00)
    hash.byte(0xf0 | (point >> 18))
    hash.byte(0x80 | ((point >> 12) & 0x3f))
    hash.byte(0x80 | ((point >> 6) & 0x3f))
    hash.byte(0x80 | (point & 0x3f))
    return i + 1
  }
  hash.byte(0xe0 | (c >> 12))
  hash.byte(0x80 | ((c >> 6) & 0x3f))
  hash.byte(0x80 | (c & 0x3f))
  return i
}

/**
 * Hashes what JSON.stringify writes for the code unit `c` at `i` that is not plain ASCII: `\"`,
 * `\\`, a control character's escape, `\udxxx` for a lone surrogate, else its UTF-8 bytes.
 * Returns the last index used.
 */
function hashJsonEscaped(hash: Fnv1a64, text: string, i: number, c: number): number {
  if (c >= 0x80) {
    if (c >= 0xd800 && c <= 0xdfff && !isPairAt(text, i, c)) {
      hash.byte(0x5c)
      hashHexEscape(hash, c)
      return i
    }
    return hashWide(hash, text, i, c)
  }
  hash.byte(0x5c)
  if (c >= 0x20) hash.byte(c)
  else {
    const short = SHORT_ESCAPES[c]
    if (short !== undefined) hash.byte(short)
    else hashHexEscape(hash, c)
  }
  return i
}

/** `u` and four lowercase hex digits (the backslash is written by the caller). */
function hashHexEscape(hash: Fnv1a64, c: number): void {
  hash.byte(0x75)
  for (let shift = 12; shift >= 0; shift -= 4) hash.byte(HEX_DIGITS.charCodeAt((c >> shift) & 0xf))
}

const HEX_DIGITS = '0123456789abcdef'
/** `\b \t \n \f \r`: the control characters JSON.stringify writes with a letter. */
const SHORT_ESCAPES: readonly (number | undefined)[] = (() => {
  const table: (number | undefined)[] = new Array(0x20).fill(undefined)
  table[0x08] = 0x62
  table[0x09] = 0x74
  table[0x0a] = 0x6e
  table[0x0c] = 0x66
  table[0x0d] = 0x72
  return table
})()

/** Whether the surrogate `c` at `i` is the first half of a well-formed pair. */
function isPairAt(text: string, i: number, c: number): boolean {
  if (c > 0xdbff) return false
  const next = text.charCodeAt(i + 1)
  return next >= 0xdc00 && next <= 0xdfff
}

/**
 * The 64-bit FNV-1a hash of a string's UTF-8 bytes as 16 lowercase hex digits (internal). Not
 * cryptographic; pure arithmetic, so it runs in any runtime without `node:crypto`.
 */
export function fnv1a64(text: string): string {
  const hash = new Fnv1a64()
  hash.text(text)
  return hash.hex()
}
