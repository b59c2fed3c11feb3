import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { finished } from 'node:stream/promises'

/**
 * How a request body arrived: `whole` (kept in `bytes`, and in the file when there is one), `too_large`
 * (past `limitBytes`), `no_room` (past what the disk budget allows), or `cut_off` by the client.
 * `size` is the bytes received, in bytes. For `too_large` and `no_room` reading stopped there and
 * the file was removed: nothing partial is left behind.
 */
export type ReceivedBody =
  | { readonly kind: 'whole'; readonly size: number; readonly bytes: Uint8Array }
  | { readonly kind: 'too_large'; readonly size: number }
  | { readonly kind: 'no_room'; readonly size: number }
  | { readonly kind: 'cut_off'; readonly size: number }

/** A disk budget shared by every request: `take` reserves bytes (false when there is no room), `give` returns them. */
export interface SaveBudget {
  take(bytes: number): boolean
  give(bytes: number): void
}

/**
 * Reads a request body, at most `limitBytes`, and when `file` is given streams it into that new
 * file as it arrives, each chunk reserved from `budget` first. Past the limit or the budget it
 * stops reading (the rest is discarded unread), removes the file and returns its budget. Rejects
 * only when the file cannot be written.
 */
export function receiveToFile(
  req: IncomingMessage,
  limitBytes: number,
  file: string | null,
  budget: SaveBudget,
): Promise<ReceivedBody> {
  const stream = file === null ? null : createWriteStream(file, { flags: 'wx' })
  const chunks: Buffer[] = []
  let size = 0
  let written = 0
  let writeError: unknown = null
  stream?.on('error', (e) => {
    writeError ??= e
  })
  return new Promise<ReceivedBody>((resolve, reject) => {
    let done = false
    const settle = (work: () => Promise<ReceivedBody>) => {
      if (done) return
      done = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
      req.off('error', onClose)
      req.on('error', () => {})
      work().then((body) => (writeError === null ? resolve(body) : reject(writeError)), reject)
    }
    const discard = (kind: 'too_large' | 'no_room') =>
      settle(async () => {
        // Discard what still comes until the answer is sent and the connection closes.
        req.resume()
        if (stream !== null && file !== null) {
          stream.destroy()
          await finished(stream).catch(() => {})
          await unlink(file).catch(() => {})
          budget.give(written)
        }
        writeError = null
        return { kind, size }
      })
    const close = async () => {
      if (stream === null) return
      stream.end()
      await finished(stream).catch((e: unknown) => {
        writeError ??= e
      })
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limitBytes) return discard('too_large')
      if (stream !== null) {
        if (!budget.take(chunk.length)) return discard('no_room')
        written += chunk.length
        stream.write(chunk)
      }
      chunks.push(chunk)
    }
    const onEnd = () =>
      settle(async () => {
        await close()
        return { kind: 'whole', size, bytes: Buffer.concat(chunks, size) }
      })
    // A body cut off mid-way: the file keeps every byte that came (within the limit and budget).
    const onClose = () =>
      settle(async () => {
        await close()
        return { kind: 'cut_off', size }
      })
    // A client that goes away emits 'error' (aborted) then 'close': both end the read, neither throws.
    req.on('error', onClose)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', onClose)
  })
}
