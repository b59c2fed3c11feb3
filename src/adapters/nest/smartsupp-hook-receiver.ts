import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common'
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
export class SmartsuppHookReceiver implements OnModuleInit, OnModuleDestroy {
  readonly #host: HttpAdapterHost
  readonly #path: string
  readonly #receive: RequestListener
  #server: Server | null = null
  #previous: RequestListener[] = []
  #front: RequestListener | null = null

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

  onModuleInit(): void {
    // No HTTP application (e.g. a testing module compiled without createNestApplication): nothing to answer.
    const server = this.#host?.httpAdapter?.getHttpServer?.() as Server | undefined
    if (server === undefined || server === null || this.#server !== null) return
    if (typeof server.listeners !== 'function') return
    const previous = server.listeners('request') as RequestListener[]
    const forward: RequestListener = (req, res) => {
      for (const listener of previous) listener.call(server, req, res)
    }
    const front: RequestListener = (req, res) =>
      isHookPath(req.url ?? '/', this.#path) ? this.#receive(req, res) : forward(req, res)
    server.removeAllListeners('request')
    server.on('request', front)
    this.#server = server
    this.#previous = previous
    this.#front = front
  }

  onModuleDestroy(): void {
    const server = this.#server
    if (server === null || this.#front === null) return
    server.off('request', this.#front)
    for (const listener of this.#previous) server.on('request', listener)
    this.#server = null
    this.#front = null
  }
}
