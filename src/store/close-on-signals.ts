import type { EventStore } from './event-store.js'
import { stopExportsForClose } from './export-sweeps.js'

/**
 * A server `closeOnSignals` stops: node:http's `Server` (what Express's `app.listen()` and
 * `http.createServer()` return, and a Nest app's `getHttpServer()`), or anything shaped like it.
 */
export interface ClosableServer {
  close(callback?: (error?: Error) => void): unknown
  /** Closes keep-alive connections with no request in flight (Node 18.2+). */
  closeIdleConnections?(): void
  /** Closes every connection, in flight or not (Node 18.2+). */
  closeAllConnections?(): void
}

/** A signal that asks a process to stop. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT' | 'SIGBREAK' | 'SIGUSR2'

/** Options of `closeOnSignals`. */
export interface CloseOnSignalsOptions {
  /** The server(s) receiving the webhooks: they stop accepting first, and their in-flight deliveries finish. */
  readonly server?: ClosableServer | readonly ClosableServer[]
  /** Which signals start the shutdown. Default `['SIGTERM', 'SIGINT']` (a service manager's stop, Ctrl+C). */
  readonly signals?: readonly ShutdownSignal[]
  /**
   * How long deliveries in flight may take to finish once the servers stop accepting (ms); then
   * their connections are closed (unanswered, so Smartsupp re-delivers them). Exports running in
   * this process get the same time to finish; then they are given up (`context.signal` aborts with
   * an `ExportStoppedError`) and their claims released for another process. Default 10 000, the
   * receivers' default `timeoutMs`.
   */
  readonly graceMs?: number
  /** Called once the store is closed, before the process ends: close what else you opened (a pool you passed to the store). */
  readonly onClosed?: () => unknown
  /** Called with anything that failed while closing (the shutdown goes on). Default `console.error`. */
  readonly onError?: (error: unknown) => unknown
}

/** How long `store.close()` (and `onClosed`) may take before the process ends anyway. */
const CLOSE_MS = 5_000

/**
 * Closes `store` cleanly when the process is asked to stop, so it ends as it would have without
 * this call, only with nothing left half-done: on the first of `signals` it stops the receivers'
 * exports (no new one starts), stops the servers accepting, lets deliveries in flight and running
 * exports finish (at most `graceMs`; an export still running then is given up through its signal
 * and released for another process), closes the store (an embedded store's directory is then free for the CLI at once) and
 * `onClosed`, then re-raises the signal, so the exit status is the usual one (143 for SIGTERM, 130
 * for SIGINT). If you listen for the same signal yourself, your listener decides when the process
 * ends and the signal is not re-raised. A second signal while closing ends the process at once.
 * Nothing is registered until you call it. Returns a function that removes the listeners again.
 */
export function closeOnSignals(store: EventStore, options: CloseOnSignalsOptions = {}): () => void {
  if (store === null || typeof store !== 'object' || typeof store.close !== 'function') {
    throw new TypeError('smartsupp-hook: closeOnSignals(store, options) needs the event store to close')
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT']
  const graceMs = options.graceMs ?? 10_000
  if (typeof graceMs !== 'number' || !(graceMs >= 0) || !Number.isFinite(graceMs)) {
    throw new TypeError('smartsupp-hook: closeOnSignals: graceMs must be a number of milliseconds ≥ 0')
  }
  const servers: readonly ClosableServer[] =
    options.server === undefined
      ? []
      : Array.isArray(options.server)
        ? options.server
        : [options.server as ClosableServer]
  for (const server of servers) {
    if (server === null || typeof server !== 'object' || typeof server.close !== 'function') {
      throw new TypeError(
        'smartsupp-hook: closeOnSignals: server must be the HTTP server receiving the webhooks (what app.listen() returns)',
      )
    }
  }
  const report = (error: unknown) => {
    try {
      if (options.onError === undefined) console.error('smartsupp-hook: closing on a signal:', error)
      else options.onError(error)
    } catch {
      // A failing reporter must not stop the shutdown.
    }
  }

  let closing = false
  const remove = () => {
    for (const signal of signals) process.off(signal, onSignal)
  }
  const end = (signal: ShutdownSignal) => {
    remove()
    // With no other listener, the signal's default action ends the process with its usual status.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  function onSignal(signal: ShutdownSignal): void {
    if (closing) {
      end(signal)
      return
    }
    closing = true
    void shutDown().finally(() => end(signal))
  }
  const shutDown = async () => {
    // No export starts from here on; those running get graceMs (beside the deliveries in flight),
    // then are given up through their signal and released, before the store closes under them.
    let exportsEnded: Promise<void> = Promise.resolve()
    try {
      exportsEnded = stopExportsForClose(store, graceMs)
    } catch (e) {
      report(e)
    }
    await Promise.all([...servers.map((server) => stopServer(server, graceMs, report)), exportsEnded])
    await within(
      CLOSE_MS,
      (async () => {
        await store.close()
        await options.onClosed?.()
      })().catch(report),
      () => report(new Error(`closing the store took longer than ${CLOSE_MS} ms; ending anyway`)),
    )
  }
  for (const signal of signals) process.on(signal, onSignal)
  return remove
}

/** Stops accepting; in-flight requests get `graceMs`, then every connection is closed. */
function stopServer(
  server: ClosableServer,
  graceMs: number,
  report: (error: unknown) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false
    // Not unref'd: they keep the process alive until the shutdown is done (then they are cleared).
    let idle: ReturnType<typeof setInterval> | undefined
    let grace: ReturnType<typeof setTimeout> | undefined
    const finish = () => {
      if (done) return
      done = true
      clearInterval(idle)
      clearTimeout(grace)
      resolve()
    }
    try {
      server.close((error?: Error) => {
        // "Not running": it was closed already, which is what we wanted.
        if (error !== undefined && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING')
          report(error)
        finish()
      })
    } catch (e) {
      report(e)
      finish()
      return
    }
    // A keep-alive connection goes idle once its answer is sent: close it then, not at the deadline.
    server.closeIdleConnections?.()
    idle = setInterval(() => server.closeIdleConnections?.(), 50)
    grace = setTimeout(() => {
      server.closeAllConnections?.()
      // Without closeAllConnections (not a node:http server) nothing more can be done: go on.
      setTimeout(finish, 100)
    }, graceMs)
  })
}

function within(ms: number, work: Promise<unknown>, late: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      late()
      resolve()
    }, ms)
    void work.finally(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}
