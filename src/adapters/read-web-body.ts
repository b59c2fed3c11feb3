import type { BodyRead } from '../receive/body-read.js'

/**
 * Reads a Web `Request` body, at most `limitBytes`: past the limit it cancels the stream at
 * once (`too_large`); a stream that errors (client gone) or cannot be read is `cut_off`. Never rejects.
 */
export async function readWebBody(request: Request, limitBytes: number): Promise<BodyRead> {
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
        return { kind: 'too_large' }
      }
      chunks.push(value)
    }
  } catch {
    return { kind: 'cut_off' }
  }
  if (chunks.length === 1) return { kind: 'body', bytes: chunks[0] as Uint8Array }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return { kind: 'body', bytes }
}
