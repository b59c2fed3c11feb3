import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { OnModuleInit } from '@nestjs/common'
import type { HttpAdapterHost } from '@nestjs/core'
import { createSmartsuppListener } from '../node.js'
import { checkHookPath, isHookPath } from './hook-path.js'
import type { SmartsuppHookModuleOptions } from './smartsupp-hook-options.js'

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/**
 * The provider behind `SmartsuppHookModule`: when the app initialises, it puts itself in front of
 * the app's HTTP server and answers the hook's path with the `smartsupp-hook/node` listener, so
 * the token and the size are checked before anything reads the body, Nest's global body parser
 * included (Nest registers it before any module middleware, so middleware would come too late).
 * Every other request goes to Nest untouched. Options are checked here, at app creation.
 */
export class SmartsuppHookReceiver implements OnModuleInit {
  readonly #host: HttpAdapterHost
  readonly #path: string
  readonly #receive: RequestListener
  /** Servers already fronted: one compiled testing module may create several apps. */
  readonly #fronted = new WeakSet<Server>()

  constructor(host: HttpAdapterHost, options: SmartsuppHookModuleOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'smartsupp-hook: SmartsuppHookModule needs options { path, token, onConversation, … }',
      )
    }
    const { path, ...receive } = options
    this.#host = host
    this.#path = checkHookPath(path)
    this.#receive = createSmartsuppListener(receive)
  }

  /** The path this receiver answers, without a trailing slash. */
  get path(): string {
    return this.#path
  }

  /**
   * Fronts the app's HTTP server. It stays in front until the server closes, so deliveries that
   * arrive while Nest runs its shutdown hooks are still received rather than answered 404.
   */
  onModuleInit(): void {
    // No HTTP application (e.g. a testing module compiled without createNestApplication): nothing to answer.
    const server = this.#host?.httpAdapter?.getHttpServer?.() as Server | undefined
    if (server === undefined || server === null || typeof server.listeners !== 'function') return
    if (this.#fronted.has(server)) return
    const previous = server.listeners('request') as RequestListener[]
    const forward: RequestListener = (req, res) => {
      for (const listener of previous) listener.call(server, req, res)
    }
    server.removeAllListeners('request')
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      isHookPath(req.url ?? '/', this.#path) ? this.#receive(req, res) : forward(req, res),
    )
    this.#fronted.add(server)
  }
}
