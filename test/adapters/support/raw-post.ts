import { request } from 'node:http'

/** The status, headers and text of a response. */
export interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
}

/**
 * Posts `chunks` with node:http (not fetch), so a test controls framing: `length` sets a
 * Content-Length (omit it for chunked), `abortAfter` destroys the request after that many chunks.
 * Resolves with the response, or `null` when the connection ended without one.
 */
export function rawPost(
  url: string,
  chunks: readonly (string | Uint8Array)[],
  options: { length?: number; abortAfter?: number; headers?: Record<string, string> } = {},
): Promise<RawResponse | null> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.length !== undefined) headers['content-length'] = String(options.length)
    const req = request(url, { method: 'POST', headers, agent: false })
    let settled = false
    const settle = (value: RawResponse | null) => {
      if (!settled) {
        settled = true
        resolve(value)
      }
    }
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => settle({ status: res.statusCode ?? 0, headers: res.headers, text }))
      res.on('error', () => settle({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', () => setTimeout(() => settle(null), 50))
    req.on('close', () => setTimeout(() => settle(null), 50))
    let sent = 0
    const writeNext = () => {
      if (options.abortAfter !== undefined && sent === options.abortAfter) {
        req.destroy()
        return
      }
      const chunk = chunks[sent]
      if (chunk === undefined) {
        req.end()
        return
      }
      sent++
      req.write(chunk, () => setImmediate(writeNext))
    }
    writeNext()
  })
}
