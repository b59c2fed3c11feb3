import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { HttpAdapterHost } from '@nestjs/core'

/** A node:http `'request'` listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Puts `listener` in front of the HTTP server of the app behind `host`, for the URLs `owns`
 * accepts; every other request goes to the listeners that were there (Nest's) untouched. This is
 * the one mechanism behind `SmartsuppHookModule` and `SmartsuppWebhookModule`: it runs before
 * Nest's global body parser, which Nest registers before any module middleware, so middleware
 * would come too late to see the exact bytes or to refuse a body unread. Both modules may front
 * one server (each wraps what was there). Returns whether the server was fronted now: not when
 * the app has no HTTP server (a testing module compiled without `createNestApplication`), nor when
 * `fronted` already holds it (one compiled testing module may create several apps, each its own).
 */
export function frontHttpServer(
  host: HttpAdapterHost | undefined,
  owns: (url: string) => boolean,
  listener: RequestListener,
  fronted: WeakSet<Server>,
): boolean {
  const server = host?.httpAdapter?.getHttpServer?.() as Server | undefined
  if (server === undefined || server === null || typeof server.listeners !== 'function') return false
  if (fronted.has(server)) return false
  const previous = server.listeners('request') as RequestListener[]
  const forward: RequestListener = (req, res) => {
    for (const next of previous) next.call(server, req, res)
  }
  server.removeAllListeners('request')
  // It stays in front until the server closes, so deliveries that arrive while Nest runs its
  // shutdown hooks are still received rather than answered 404.
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    owns(req.url ?? '/') ? listener(req, res) : forward(req, res),
  )
  fronted.add(server)
  return true
}
