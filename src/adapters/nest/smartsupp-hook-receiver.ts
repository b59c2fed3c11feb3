import type { Server } from 'node:http'
import type { OnModuleInit } from '@nestjs/common'
import type { HttpAdapterHost } from '@nestjs/core'
import { createSmartsuppListener } from '../node.js'
import { frontHttpServer, type RequestListener } from './front-http-server.js'
import { checkHookPath, isHookPath } from './hook-path.js'
import type { SmartsuppHookModuleOptions } from './smartsupp-hook-options.js'

/**
 * The provider behind `SmartsuppHookModule`: when the app initialises, it puts itself in front of
 * the app's HTTP server (`frontHttpServer`) and answers the hook's path with the
 * `smartsupp-hook/node` listener, so the token and the size are checked before anything reads the
 * body, Nest's global body parser included. Every other request goes to Nest untouched. Options
 * are checked here, at app creation.
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

  /** Fronts the app's HTTP server; no HTTP application (a bare testing module): nothing to answer. */
  onModuleInit(): void {
    frontHttpServer(this.#host, (url) => isHookPath(url, this.#path), this.#receive, this.#fronted)
  }
}
