import type { InflatedRead } from '../receive/body-read.js'
import { contentCoding } from '../receive/content-coding.js'
import { concatBytes, inflateWebBody } from './inflate-web-body.js'

/**
 * Reads a Web `Request` body, at most `limitBytes`: past the limit it cancels the stream at
 * once (`too_large`, with the bytes read); a stream that errors (client gone) or cannot be read is `cut_off`. A gzip,
 * deflate or br body is inflated, the limit applying to the inflated size too. Never rejects.
 */
export async function readWebBody(request: Request, limitBytes: number): Promise<InflatedRead> {
  const stream = request.body
  if (stream === null) return { kind: 'body', bytes: new Uint8Array(0) }
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    // Inside the try: getReader() throws on a locked stream, and that must not reject.
    const reader = stream.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limitBytes) {
        reader.cancel().catch(() => {})
        return { kind: 'too_large', size }
      }
      chunks.push(value)
    }
  } catch {
    return { kind: 'cut_off' }
  }
  const headers = { 'content-encoding': request.headers.get('content-encoding') ?? undefined }
  return inflateWebBody(concatBytes(chunks, size), contentCoding(headers) ?? 'identity', limitBytes)
}
