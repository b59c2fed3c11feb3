const encoder = new TextEncoder()

/**
 * The 64-bit FNV-1a hash of a string's UTF-8 bytes as 16 lowercase hex digits (internal). Not
 * cryptographic; pure arithmetic on 16-bit limbs, so it runs in any runtime without `node:crypto`.
 */
export function fnv1a64(text: string): string {
  const bytes = encoder.encode(text)
  // Offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i] as number
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, limb by limb, carrying upwards.
    const t0 = h0 * 0x1b3
    const t1 = h1 * 0x1b3 + (t0 >>> 16)
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16)
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16)
    h0 = t0 & 0xffff
    h1 = t1 & 0xffff
    h2 = t2 & 0xffff
    h3 = t3 & 0xffff
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('')
}
