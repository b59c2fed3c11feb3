import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { finished } from 'node:stream/promises'

/**
 * How a request body arrived: `whole`, `too_large` (past `limitBytes`), `no_room` (past what the
 * disk budget allows), `no_memory` (past what the memory budget allows: other bodies held too
 * much), or `cut_off` by the client. `size` is the bytes received. A `whole` body is in `bytes`
 * when it was kept in memory, or only in the file (`bytes: null`) when one was given. For
 * `too_large`, `no_room` and `no_memory` reading stopped there and the file was removed: nothing
 * partial is left behind.
 */
export type ReceivedBody =
  | { readonly kind: 'whole'; readonly size: number; readonly bytes: Uint8Array | null }
  | { readonly kind: 'too_large'; readonly size: number }
  | { readonly kind: 'no_room'; readonly size: number }
  | { readonly kind: 'no_memory'; readonly size: number }
  | { readonly kind: 'cut_off'; readonly size: number }

/** A budget shared by every request: `take` reserves bytes (false when there is no room), `give` returns them. */
export interface SaveBudget {
  take(bytes: number): boolean
  give(bytes: number): void
}

/** The request's `Content-Length` as a number of bytes, or `null` (chunked, or not a number). */
function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length']
  if (typeof header !== 'string' || !/^\d+$/.test(header)) return null
  const n = Number(header)
  return Number.isSafeInteger(n) ? n : null
}

/** A budget of `limitBytes` in all, shared by every request. */
export function byteBudget(limitBytes: number): SaveBudget & { readonly used: number } {
  let used = 0
  return {
    get used() {
      return used
    },
    take(bytes) {
      if (used + bytes > limitBytes) return false
      used += bytes
      return true
    },
    give(bytes) {
      used -= bytes
    },
  }
}

/**
 * Reads a request body, at most `limitBytes`. With a `file`, streams it into that new file as it
 * arrives (each chunk reserved from `disk` first, reading paused while the disk is behind) and
 * keeps nothing in memory: the body is in the file only. Without one, keeps it in memory, every
 * byte reserved from `memory` first (a declared length at once, in one buffer); a `whole` body
 * keeps its `size` reserved (the caller gives it back once done with the bytes), any other
 * outcome gives it back here. Past the limit or a budget it stops reading (the rest is discarded
 * unread) and removes the file. Rejects only when the file cannot be written.
 */
export function receiveToFile(
  req: IncomingMessage,
  limitBytes: number,
  file: string | null,
  disk: SaveBudget,
  memory: SaveBudget,
): Promise<ReceivedBody> {
  const stream = file === null ? null : createWriteStream(file, { flags: 'wx' })
  let chunks: Buffer[] = []
  let size = 0
  let held = 0
  let written = 0
  let writeError: unknown = null
  stream?.on('error', (e) => {
    writeError ??= e
  })
  // In memory, a declared length within the limit is reserved and allocated at once and each
  // chunk copied in and dropped: one copy of the body, not its chunks plus their concatenation.
  const length = stream === null ? declaredLength(req) : null
  const reserved = length !== null && length <= limitBytes && memory.take(length)
  const whole = reserved ? Buffer.allocUnsafe(length) : null
  if (whole !== null) held = whole.length
  const release = () => {
    memory.give(held)
    held = 0
    chunks = []
  }
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
      work().then(
        (body) => {
          if (writeError === null) return resolve(body)
          if (body.kind === 'whole') release()
          reject(writeError)
        },
        (e: unknown) => {
          release()
          reject(e)
        },
      )
    }
    const discard = (kind: 'too_large' | 'no_room' | 'no_memory') =>
      settle(async () => {
        release()
        // Discard what still comes until the answer is sent and the connection closes.
        req.resume()
        if (stream !== null && file !== null) {
          stream.destroy()
          await finished(stream).catch(() => {})
          await unlink(file).catch(() => {})
          disk.give(written)
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
      const at = size
      size += chunk.length
      if (size > limitBytes) return discard('too_large')
      if (stream !== null) {
        if (!disk.take(chunk.length)) return discard('no_room')
        written += chunk.length
        // The disk sets the pace: chunks do not pile up in memory while it is behind.
        if (!stream.write(chunk)) {
          req.pause()
          stream.once('drain', () => req.resume())
        }
        return
      }
      if (whole !== null && size <= whole.length) {
        chunk.copy(whole, at)
        return
      }
      if (!memory.take(chunk.length)) return discard('no_memory')
      held += chunk.length
      chunks.push(chunk)
    }
    const onEnd = () =>
      settle(async () => {
        await close()
        if (stream !== null) return { kind: 'whole', size, bytes: null }
        const bytes =
          whole === null
            ? Buffer.concat(chunks, size)
            : chunks.length === 0
              ? whole.subarray(0, size)
              : Buffer.concat([whole, ...chunks], size)
        chunks = []
        // What stays reserved is the body itself: its size (a shorter body gives the rest back).
        memory.give(held - size)
        held = size
        return { kind: 'whole', size, bytes }
      })
    // A body cut off mid-way: the file keeps every byte that came (within the limit and budget).
    const onClose = () =>
      settle(async () => {
        release()
        await close()
        return { kind: 'cut_off', size }
      })
    // A client that goes away emits 'error' (aborted) then 'close': both end the read, neither throws.
    req.on('error', onClose)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', onClose)
    if (length !== null && length <= limitBytes && !reserved) {
      // Not even the room for the declared length: refused before anything is read.
      discard('no_memory')
    }
  })
}
