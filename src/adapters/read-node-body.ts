import type { IncomingMessage } from 'node:http'
import type { BodyRead, InflatedRead } from '../receive/body-read.js'
import { contentCoding } from '../receive/content-coding.js'
import { inflateNodeBody } from './inflate-node-body.js'

/**
 * Reads a Node request body like `readNodeBody`, then inflates a gzip, deflate or br body
 * (`Content-Encoding`), the limit applying to both the bytes sent and the inflated size; bytes
 * that do not inflate are `not_inflatable`. Check the coding with `checkRequest` first. Never rejects.
 */
export async function readNodeRequest(req: IncomingMessage, limitBytes: number): Promise<InflatedRead> {
  const read = await readNodeBody(req, limitBytes)
  // An unsupported coding was answered 415 by checkRequest before reading; here it counts as none.
  const coding = contentCoding(req.headers) ?? 'identity'
  return read.kind === 'body' ? inflateNodeBody(read.bytes, coding, limitBytes) : read
}

/**
 * Reads a Node request body into one buffer as sent, at most `limitBytes`: past the limit it
 * stops keeping chunks (the rest is discarded, never buffered) and resolves `too_large` at once
 * (the caller answers 413 and closes the connection); a client that goes away mid-body resolves
 * `cut_off`. Never rejects.
 */
export function readNodeBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (read: BodyRead) => {
      if (done) return
      done = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onCutOff)
      req.off('close', onCutOff)
      resolve(read)
    }
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > limitBytes) {
        chunks.length = 0
        // Keep nothing more: with no 'data' listener left, resume() discards what still arrives
        // until the 413 is sent and the connection closes (Connection: close), instead of
        // leaving it unread in the socket, which would reset the connection before the answer.
        req.resume()
        finish({ kind: 'too_large', size })
        return
      }
      chunks.push(bytes)
    }
    const onEnd = () => {
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)
      finish({ kind: 'body', bytes })
    }
    const onCutOff = () => finish({ kind: 'cut_off' })
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onCutOff)
    req.on('close', onCutOff)
  })
}
