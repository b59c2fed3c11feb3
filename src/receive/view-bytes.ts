/**
 * The bytes of a typed array or DataView as this realm's `Uint8Array` (the same memory, not a
 * copy), or `null` for anything else. `ArrayBuffer.isView`, not `instanceof`: a `Buffer` or
 * `Uint8Array` made in another realm (a `node:vm` context, Jest's sandbox) is still bytes.
 */
export function viewBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value
  if (!ArrayBuffer.isView(value)) return null
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}
