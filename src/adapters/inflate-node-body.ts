import { brotliDecompress, gunzip, inflate } from 'node:zlib'
import type { InflatedRead } from '../receive/body-read.js'
import type { ContentCoding } from '../receive/content-coding.js'

/**
 * Inflates a compressed body with node:zlib, never past `limitBytes` of output (zlib stops
 * there, so a zip bomb costs at most `limitBytes`): `too_inflated` beyond it, `not_inflatable`
 * with the bytes as sent when they are not `coding` data. `identity` passes the bytes through.
 */
export function inflateNodeBody(
  bytes: Uint8Array,
  coding: ContentCoding,
  limitBytes: number,
): Promise<InflatedRead> {
  if (coding === 'identity') return Promise.resolve({ kind: 'body', bytes })
  return new Promise((resolve) => {
    const done = (error: Error | null, inflated: Buffer) => {
      if (error === null) resolve({ kind: 'body', bytes: inflated })
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        resolve({ kind: 'too_inflated', size: bytes.byteLength, coding })
      else resolve({ kind: 'not_inflatable', bytes, coding })
    }
    const options = { maxOutputLength: limitBytes }
    if (coding === 'gzip') gunzip(bytes, options, done)
    else if (coding === 'deflate') inflate(bytes, options, done)
    else brotliDecompress(bytes, options, done)
  })
}
