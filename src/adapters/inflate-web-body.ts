import type { InflatedRead } from '../receive/body-read.js'
import type { ContentCoding } from '../receive/content-coding.js'

/** Whether this runtime's `DecompressionStream` inflates `coding` (Node 20 has no `br`; then 415). */
export function webInflates(coding: ContentCoding): boolean {
  if (coding === 'identity') return true
  try {
    new DecompressionStream(coding as CompressionFormat)
    return true
  } catch {
    return false
  }
}

/**
 * Inflates a compressed body with `DecompressionStream`, reading at most `limitBytes` of output
 * (then it cancels: `too_inflated`); bytes that are not `coding` data are `not_inflatable`, kept as sent.
 */
export async function inflateWebBody(
  bytes: Uint8Array,
  coding: ContentCoding,
  limitBytes: number,
): Promise<InflatedRead> {
  if (coding === 'identity') return { kind: 'body', bytes }
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    const source = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    const reader = source.pipeThrough(new DecompressionStream(coding as CompressionFormat)).getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limitBytes) {
        reader.cancel().catch(() => {})
        return { kind: 'too_inflated', size: bytes.byteLength, coding }
      }
      chunks.push(value)
    }
  } catch {
    return { kind: 'not_inflatable', bytes, coding }
  }
  return { kind: 'body', bytes: concatBytes(chunks, size) }
}

/** The chunks as one array (the one chunk itself when there is one). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}
