import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/**
 * A node:http listener around a Fetch handler (what Hono's node server or Next.js do), so the
 * Fetch adapter runs the same real-HTTP contract as the others.
 */
export function serveFetch(
  handler: (request: Request) => Promise<Response>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value)
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit)
    handler(request).then(
      async (response) => {
        res.statusCode = response.status
        response.headers.forEach((value, name) => {
          res.setHeader(name, value)
        })
        res.end(Buffer.from(await response.arrayBuffer()))
      },
      () => {
        res.statusCode = 500
        res.end()
      },
    )
  }
}
