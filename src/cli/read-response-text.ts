/**
 * The start of a response body as text: at most `maxBytes` bytes (UTF-8, a character split at the
 * cut shown as U+FFFD), `cut` true when there was more; the rest is not read. Rejects as the stream does.
 */
export async function readResponseText(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; cut: boolean }> {
  if (response.body === null) return { text: '', cut: false }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let cut = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const room = maxBytes - size
    if (value.length > room) {
      chunks.push(value.subarray(0, room))
      size = maxBytes
      cut = true
      await reader.cancel()
      break
    }
    chunks.push(value)
    size += value.length
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), cut }
}
