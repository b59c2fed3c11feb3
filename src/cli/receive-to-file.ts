import { createWriteStream } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { finished } from 'node:stream/promises'
import { readNodeBody } from '../adapters/read-node-body.js'

/**
 * How a request body arrived: whole (`bytes` kept only when at most the limit, else null), or cut
 * off by the client; `size` is every byte received, in bytes. With a file, every byte received
 * was written to it, unchanged, the body streamed rather than held.
 */
export type ReceivedBody =
  | { readonly kind: 'whole'; readonly size: number; readonly bytes: Uint8Array | null }
  | { readonly kind: 'cut_off'; readonly size: number }

/**
 * Reads a request body to its end (`readNodeBody` keeps it when at most `limitBytes`; past that
 * the rest is only counted) and, when `file` is given, streams every byte into that new file as it
 * arrives. Rejects only when the file cannot be written.
 */
export async function receiveToFile(
  req: IncomingMessage,
  limitBytes: number,
  file: string | null,
): Promise<ReceivedBody> {
  let size = 0
  const count = (chunk: Buffer) => {
    size += chunk.length
  }
  req.on('data', count)
  const writer = file === null ? null : streamTo(req, file)
  const read = readNodeBody(req, limitBytes)
  const ended = await new Promise<boolean>((resolve) => {
    req.once('end', () => resolve(true))
    req.once('close', () => resolve(req.complete))
  })
  const body = await read
  req.off('data', count)
  if (writer !== null) await writer.close()
  if (!ended) return { kind: 'cut_off', size }
  return { kind: 'whole', size, bytes: body.kind === 'body' ? body.bytes : null }
}

/** Pipes `req` into a new file; `close` ends the file with what arrived and rejects if writing failed. */
function streamTo(req: IncomingMessage, file: string): { close: () => Promise<void> } {
  const stream = createWriteStream(file, { flags: 'wx' })
  let failure: unknown = null
  stream.on('error', (e) => {
    failure ??= e
    req.unpipe(stream)
    req.resume() // keep reading to the end, so the request still gets an answer
  })
  // Not ended by the pipe: a body cut off mid-way still ends the file with every byte received.
  req.pipe(stream, { end: false })
  return {
    async close() {
      req.unpipe(stream)
      if (failure === null) {
        stream.end()
        await finished(stream).catch((e: unknown) => {
          failure ??= e
        })
      }
      if (failure !== null) throw failure
    },
  }
}
