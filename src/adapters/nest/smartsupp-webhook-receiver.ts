import type { Server } from 'node:http'
import type { BeforeApplicationShutdown, OnApplicationShutdown, OnModuleInit } from '@nestjs/common'
import type { HttpAdapterHost } from '@nestjs/core'
import type { EventStore } from '../../store/event-store.js'
import { stopExportSweep, stopExportsForClose } from '../../store/export-sweeps.js'
import { createSmartsuppWebhookListener } from '../node.js'
import { frontHttpServer, type RequestListener } from './front-http-server.js'
import { checkHookPath, isWebhookPath } from './hook-path.js'
import type { SmartsuppWebhookModuleOptions } from './smartsupp-webhook-options.js'

/**
 * The provider behind `SmartsuppWebhookModule`: when the app initialises, it puts itself in front
 * of the app's HTTP server (`frontHttpServer`, as `SmartsuppHookReceiver` does) and answers `path`
 * with `createSmartsuppWebhookListener` from `smartsupp-hook/node`, so `X-Smartsupp-Hmac` is
 * verified over the exact bytes received, before Nest's body parser could re-serialise them.
 * Every other request goes to Nest untouched. Options are checked here, at app creation. With a
 * `store`, the application's shutdown (`app.close()`, or a signal after `app.enableShutdownHooks()`)
 * stops the exports before the HTTP server closes, lets those running finish (at most 10 s; then
 * they are given up through their signal and released for another process), and closes the store
 * after it (unless `closeStoreOnShutdown` is false).
 */
export class SmartsuppWebhookReceiver
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly #host: HttpAdapterHost
  readonly #path: string
  readonly #receive: RequestListener
  /** The store whose sweep stops on shutdown; `null` without one. */
  readonly #store: EventStore | null
  /** Whether the store is closed on shutdown too (`closeStoreOnShutdown`, default true). */
  readonly #closeStore: boolean
  /** Settles once the exports running at shutdown ended (or were given up). */
  #exportsEnded: Promise<void> = Promise.resolve()
  /** Servers already fronted: one compiled testing module may create several apps. */
  readonly #fronted = new WeakSet<Server>()

  constructor(host: HttpAdapterHost, options: SmartsuppWebhookModuleOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('smartsupp-hook: SmartsuppWebhookModule needs options { path, secret, onEvent, … }')
    }
    const { path, closeStoreOnShutdown, ...receive } = options
    if (closeStoreOnShutdown !== undefined && typeof closeStoreOnShutdown !== 'boolean') {
      throw new TypeError(
        'smartsupp-hook: SmartsuppWebhookModule: closeStoreOnShutdown must be true or false',
      )
    }
    this.#host = host
    this.#store = receive.store ?? null
    this.#closeStore = closeStoreOnShutdown !== false
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

  /** Nest calls this before it closes the HTTP server: no new export starts from here on. */
  beforeApplicationShutdown(): void {
    if (this.#store === null) return
    // Running exports get 10 s (as closeOnSignals' default graceMs), then are given up and released.
    this.#exportsEnded = this.#closeStore
      ? stopExportsForClose(this.#store, 10_000)
      : stopExportSweep(this.#store)
  }

  /**
   * Nest calls this once the HTTP server is closed (deliveries in flight answered): once the
   * running exports ended, the store is closed.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.#exportsEnded
    if (this.#closeStore) await this.#store?.close()
  }
}
