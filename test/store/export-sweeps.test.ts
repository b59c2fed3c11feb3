// stopExportSweep: the receivers' sweep timer for a store stops, and a later delivery restarts it.
import { describe, expect, it } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import type { EventStore } from '../../src/store/event-store.js'
import { memoryEventStore, stopExportSweep, storedEventOf } from '../../src/store/index.js'
import { postWebhookEvent } from '../../src/testing/post-webhook-event.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'

const SECRET = 'sweep-webhook-secret-0123'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A memory store that counts claimFinished calls (each sweep tick makes one). */
function countingStore(): { store: EventStore; claims: () => number } {
  const inner = memoryEventStore()
  let claims = 0
  const store: EventStore = {
    ...inner,
    migrate: () => inner.migrate(),
    append: (e) => inner.append(e),
    events: (id) => inner.events(id),
    claimFinished: (o) => {
      claims++
      return inner.claimFinished(o)
    },
    markExported: (c) => inner.markExported(c),
    release: (c, e, ms) => inner.release(c, e, ms),
    conversations: (o) => inner.conversations(o),
    conversation: (id) => inner.conversation(id),
    poisoned: (l) => inner.poisoned(l),
    close: () => inner.close(),
  }
  return { store, claims: () => claims }
}

describe('stopExportSweep', () => {
  it('stops the sweep timer of a store; the next delivery starts it again', async () => {
    const { store, claims } = countingStore()
    const listener = createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      onConversationFinished: () => {},
      sweepIntervalMs: 10,
      exportSweep: 0,
    })
    const [opened, reply] = webhookConversation().opened().contactReplied('Hi').build()
    expect((await postWebhookEvent(listener, opened, { secret: SECRET, as: 'node' })).status).toBe(200)
    const deadline = Date.now() + 5000
    while (claims() < 3 && Date.now() < deadline) await sleep(10)
    expect(claims()).toBeGreaterThanOrEqual(3)

    stopExportSweep(store)
    await sleep(20) // a tick already running may finish
    const stoppedAt = claims()
    await sleep(150)
    expect(claims()).toBe(stoppedAt)

    expect((await postWebhookEvent(listener, reply, { secret: SECRET, as: 'node' })).status).toBe(200)
    const again = Date.now() + 5000
    while (claims() < stoppedAt + 3 && Date.now() < again) await sleep(10)
    expect(claims()).toBeGreaterThanOrEqual(stoppedAt + 3)
    stopExportSweep(store)
    stopExportSweep(store) // none running: nothing happens
  })
})

describe('the sweep timer', () => {
  it('keeps at most 10 exports in flight per process, claiming more as slots free up', async () => {
    const { store, claims } = countingStore()
    const ids = Array.from({ length: 15 }, (_, i) => `conv-${String(i).padStart(2, '0')}`)
    for (const id of ids) {
      for (const wire of webhookConversation({ id }).opened().contactReplied('Hi').closed().build()) {
        const bytes = new TextEncoder().encode(JSON.stringify(wire))
        const decoded = parseWebhookEvent(bytes)
        if (decoded._tag === 'Left') throw new Error(decoded.left.message)
        await store.append(storedEventOf(decoded.right, bytes))
      }
    }
    let running = 0
    let most = 0
    const started: string[] = []
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      settleMs: 0,
      sweepIntervalMs: 10,
      exportTimeoutMs: 60_000,
      onConversationFinished: async (c) => {
        started.push(c.id)
        running++
        most = Math.max(most, running)
        await released
        running--
      },
    })
    try {
      const deadline = Date.now() + 10_000
      while (started.length < 10 && Date.now() < deadline) await sleep(10)
      // Twenty more ticks or so: no eleventh export starts while ten run (nor is one claimed).
      const at = claims()
      await sleep(200)
      expect(started).toHaveLength(10)
      expect(claims()).toBe(at)
      release()
      while (started.length < 15 && Date.now() < deadline + 10_000) await sleep(10)
      expect([...started].sort()).toEqual(ids)
      expect(most).toBe(10)
    } finally {
      stopExportSweep(store)
    }
  })
})
