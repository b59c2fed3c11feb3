// closeOnSignals step by step, in this process (a signal emitted to the process object, with a
// listener of the test's own, so the signal is not re-raised and the test runner lives on): the
// sweep stops, the server stops accepting, a delivery in flight is answered, one that hangs is cut
// after graceMs, the store closes, then onClosed; a second call removes nothing it did not add.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/receive/verify-webhook-signature.js'
import { closeOnSignals } from '../../src/store/close-on-signals.js'
import type { EventStore } from '../../src/store/event-store.js'
import { registerExportSweep } from '../../src/store/export-sweeps.js'
import { memoryEventStore } from '../../src/store/memory-event-store.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'

const SIGNAL = 'SIGUSR2'
const keepAlive = () => undefined
afterEach(() => {
  process.off(SIGNAL, keepAlive)
})

function recordingStore(steps: string[]): EventStore {
  const store = memoryEventStore()
  return {
    ...store,
    async close() {
      steps.push('store closed')
      await store.close()
    },
  }
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 5))
}

describe('closeOnSignals', () => {
  it('stops the sweep, stops accepting, answers the delivery in flight, cuts a hung one after graceMs, closes the store, then onClosed', async () => {
    const steps: string[] = []
    const store = recordingStore(steps)
    registerExportSweep(store, () => steps.push('sweep stopped'))
    let release: () => void = () => undefined
    const { server, url } = await listen((req, res) => {
      if (req.url === '/hang') return // never answered
      steps.push('delivery started')
      release = () => {
        steps.push('delivery answered')
        res.end('ok')
      }
    })
    const slow = fetch(url, { method: 'POST', body: 'x' }).then(
      async (r) => [r.status, await r.text()],
      (e: unknown) => e,
    )
    const hung = fetch(`${url}hang`, { method: 'POST', body: 'y' }).then(
      (r) => r.status,
      (e: unknown) => (e as Error).name,
    )
    await until(() => steps.includes('delivery started'))
    let closed!: () => void
    const done = new Promise<void>((resolve) => {
      closed = resolve
    })
    process.on(SIGNAL, keepAlive)
    const remove = closeOnSignals(store, {
      server,
      signals: [SIGNAL],
      graceMs: 300,
      onClosed: () => {
        steps.push('onClosed')
        closed()
      },
      onError: (e) => steps.push(`error ${String(e)}`),
    })
    process.emit(SIGNAL, SIGNAL)
    await until(() => steps.includes('sweep stopped'))
    // No longer accepting: a new connection is refused.
    await expect(fetch(url, { method: 'POST', body: 'z' })).rejects.toThrow()
    release()
    expect(await slow).toEqual([200, 'ok'])
    await done
    // The hung delivery was cut (no answer: Smartsupp re-delivers it), not left to hold the shutdown.
    expect(await hung).toBe('TypeError')
    expect(steps).toEqual([
      'delivery started',
      'sweep stopped',
      'delivery answered',
      'store closed',
      'onClosed',
    ])
    // Its listener is gone once done; ours is still there.
    expect(process.listeners(SIGNAL)).toEqual([keepAlive])
    remove()
  })

  it('a delivery in flight when the signal came neither restarts the sweep nor starts an export on the store being closed', async () => {
    const secret = 'close-on-signals-secret-0123'
    const inner = memoryEventStore()
    let closing = false
    const claimsWhileClosing: string[] = []
    const appended: string[] = []
    const store: EventStore = {
      ...inner,
      async append(event) {
        const outcome = await inner.append(event)
        appended.push(event.conversationId ?? 'poisoned')
        return outcome
      },
      claimFinished(options) {
        if (closing) claimsWhileClosing.push(new Error('claimed').stack ?? 'claimed')
        return inner.claimFinished(options)
      },
    }
    const exportErrors: unknown[] = []
    let entered!: () => void
    const inFlight = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const listener = createSmartsuppWebhookListener({
      secret,
      store,
      settleMs: 0,
      sweepIntervalMs: 10,
      onEvent: async () => {
        entered()
        await gate
      },
      onConversationFinished: () => undefined,
      onExportError: (e) => exportErrors.push(e),
    })
    const { server, url } = await listen(listener)
    const [opened] = webhookConversation({ id: 'conv-closing' }).opened().build()
    const body = JSON.stringify(opened)
    const answered = fetch(url, {
      method: 'POST',
      body,
      headers: { [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, secret) },
    }).then((r) => r.status)
    await inFlight
    let closed!: () => void
    const done = new Promise<void>((resolve) => {
      closed = resolve
    })
    process.on(SIGNAL, keepAlive)
    const remove = closeOnSignals(store, {
      server,
      signals: [SIGNAL],
      onClosed: () => closed(),
      onError: (e) => exportErrors.push(e),
    })
    closing = true
    process.emit(SIGNAL, SIGNAL)
    release()
    expect(await answered).toBe(200)
    await done
    // Ten sweep intervals after the store closed: a restarted sweep would have claimed (and
    // reported the closed store) by now.
    await new Promise((r) => setTimeout(r, 100))
    expect(claimsWhileClosing).toEqual([])
    expect(exportErrors).toEqual([])
    // The delivery itself was stored before its 200, as always.
    expect(appended).toEqual(['conv-closing'])
    remove()
  })

  it('registers nothing until called, and the function it returns removes its listeners', () => {
    const before = process.listenerCount('SIGTERM')
    const remove = closeOnSignals(memoryEventStore())
    expect(process.listenerCount('SIGTERM')).toBe(before + 1)
    expect(process.listenerCount('SIGINT')).toBeGreaterThan(0)
    remove()
    expect(process.listenerCount('SIGTERM')).toBe(before)
  })

  it('a store close that fails is reported, and the shutdown still ends', async () => {
    const errors: unknown[] = []
    const store = { ...memoryEventStore(), close: () => Promise.reject(new Error('disk gone')) }
    let finished!: () => void
    const done = new Promise<void>((resolve) => {
      finished = resolve
    })
    process.on(SIGNAL, keepAlive)
    closeOnSignals(store, { signals: [SIGNAL], onError: (e) => errors.push(e), onClosed: () => finished() })
    process.emit(SIGNAL, SIGNAL)
    await until(() => errors.length > 0)
    expect(String(errors[0])).toBe('Error: disk gone')
    // onClosed does not run after a failed close; the listeners are removed all the same.
    await until(() => process.listenerCount(SIGNAL) === 1)
    expect(
      await Promise.race([done.then(() => 'onClosed'), new Promise((r) => setTimeout(() => r('no'), 50))]),
    ).toBe('no')
  })

  it('refuses what it cannot close, naming the fix', () => {
    expect(() => closeOnSignals(undefined as unknown as EventStore)).toThrow(
      'smartsupp-hook: closeOnSignals(store, options) needs the event store to close',
    )
    expect(() => closeOnSignals(memoryEventStore(), { server: {} as never })).toThrow(
      'server must be the HTTP server receiving the webhooks (what app.listen() returns)',
    )
    expect(() => closeOnSignals(memoryEventStore(), { graceMs: -1 })).toThrow('graceMs must be a number')
  })
})
