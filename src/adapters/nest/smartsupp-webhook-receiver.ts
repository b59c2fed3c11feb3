import type { Server } from 'node:http'
import type { OnModuleInit } from '@nestjs/common'
import type { HttpAdapterHost } from '@nestjs/core'
import { createSmartsuppWebhookListener } from '../node.js'
import { frontHttpServer, type RequestListener } from './front-http-server.js'
import { checkHookPath, isWebhookPath } from './hook-path.js'
import type { SmartsuppWebhookModuleOptions } from './smartsupp-webhook-options.js'

/**
 * The provider behind `SmartsuppWebhookModule`: when the app initialises, it puts itself in front
 * of the app's HTTP server (`frontHttpServer`, as `SmartsuppHookReceiver` does) and answers `path`
 * with `createSmartsuppWebhookListener` from `smartsupp-hook/node`, so `X-Smartsupp-Hmac` is
 * verified over the exact bytes received, before Nest's body parser could re-serialise them.
 * Every other request goes to Nest untouched. Options are checked here, at app creation.
 */
export class SmartsuppWebhookReceiver implements OnModuleInit {
  readonly #host: HttpAdapterHost
  readonly #path: string
  readonly #receive: RequestListener
  /** Servers already fronted: one compiled testing module may create several apps. */
  readonly #fronted = new WeakSet<Server>()

  constructor(host: HttpAdapterHost, options: SmartsuppWebhookModuleOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('smartsupp-hook: SmartsuppWebhookModule needs options { path, secret, onEvent, … }')
    }
    const { path, ...receive } = options
    this.#host = host
    this.#path = checkHookPath(path, 'SmartsuppWebhookModule')
    this.#receive = createSmartsuppWebhookListener(receive)
  }

  /** The path this receiver answers, without a trailing slash. */
  get path(): string {
    return this.#path
  }

  /** Fronts the app's HTTP server; no HTTP application (a bare testing module): nothing to answer. */
  onModuleInit(): void {
    frontHttpServer(this.#host, (url) => isWebhookPath(url, this.#path), this.#receive, this.#fronted)
  }
}
