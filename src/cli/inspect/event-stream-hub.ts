import type { ServerResponse } from 'node:http'

/** At most this many pages follow the inspector at once; another one is refused (503). */
export const MAX_STREAMS = 16
const HEARTBEAT_MS = 15_000

/**
 * The pages following the inspector over server-sent events: `add` a response, `send` an event to
 * every one. A comment line every 15 s keeps proxies from closing an idle stream; the timer does
 * not keep the process alive.
 */
export class EventStreamHub {
  readonly #streams = new Set<ServerResponse>()
  #timer: ReturnType<typeof setInterval> | null = null

  /** Whether any page is following. */
  get size(): number {
    return this.#streams.size
  }

  /** Starts a stream on `res`; `false` (nothing written) when `MAX_STREAMS` are open. */
  add(res: ServerResponse, first: { readonly event: string; readonly data: unknown }): boolean {
    if (this.#streams.size >= MAX_STREAMS) return false
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    res.write(frame(first.event, first.data))
    this.#streams.add(res)
    res.on('close', () => {
      this.#streams.delete(res)
      if (this.#streams.size === 0) this.#stopHeartbeat()
    })
    if (this.#timer === null) {
      this.#timer = setInterval(() => {
        for (const s of this.#streams) s.write(': keep-alive\n\n')
      }, HEARTBEAT_MS)
      this.#timer.unref()
    }
    return true
  }

  /** Sends one event to every page following. */
  send(event: string, data: unknown): void {
    if (this.#streams.size === 0) return
    const text = frame(event, data)
    for (const s of this.#streams) s.write(text)
  }

  /** Ends every stream (the inspector is stopping). */
  close(): void {
    this.#stopHeartbeat()
    for (const s of this.#streams) s.end()
    this.#streams.clear()
  }

  #stopHeartbeat(): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }
}

/** One event: JSON on one `data:` line (JSON.stringify never writes a raw line break). */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}
