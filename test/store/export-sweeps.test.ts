// stopExportSweep: the receivers' sweep timer for a store stops, and a later delivery restarts it;
// the exports running then drain (or are given up after graceMs); a hung claim never holds the sweep.
import { describe, expect, it } from 'vitest'
import { createSmartsuppWebhookListener } from '../../src/adapters/node-webhook-listener.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import type { EventStore } from '../../src/store/event-store.js'
import { stopExportsForClose } from '../../src/store/export-sweeps.js'
import {
  ExportStoppedError,
  memoryEventStore,
  stopExportSweep,
  storedEventOf,
} from '../../src/store/index.js'
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
    release: (c, e, ms, o) => inner.release(c, e, ms, o),
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

/** A memory store holding the closed conversations `ids`. */
async function closedConversations(ids: readonly string[]): Promise<EventStore> {
  const store = memoryEventStore()
  for (const id of ids) {
    for (const wire of webhookConversation({ id }).opened().contactReplied('Hi').closed().build()) {
      const bytes = new TextEncoder().encode(JSON.stringify(wire))
      const decoded = parseWebhookEvent(bytes)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      await store.append(storedEventOf(decoded.right, bytes))
    }
  }
  return store
}

describe('the sweep when the store stops answering (issue 17.8)', () => {
  it('a claim that never returns does not hold the sweep: given up after leaseMs and reported, the next tick claims again', async () => {
    const inner = await closedConversations(['conv-1'])
    let claims = 0
    const store: EventStore = {
      ...inner,
      claimFinished: (o) => {
        claims++
        // The first claim hangs, as on a frozen database; the next ones are answered.
        return claims === 1 ? new Promise(() => {}) : inner.claimFinished(o)
      },
    }
    const exported: string[] = []
    const errors: string[] = []
    createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      settleMs: 0,
      leaseMs: 200,
      sweepIntervalMs: 20,
      onConversationFinished: (c) => void exported.push(c.id),
      onExportError: (e) => void errors.push((e as Error).message),
    })
    try {
      const deadline = Date.now() + 10_000
      while (exported.length === 0 && Date.now() < deadline) await sleep(10)
      expect(exported).toEqual(['conv-1'])
      expect(claims).toBeGreaterThanOrEqual(2)
      expect(errors[0]).toMatch(/did not answer claimFinished within 200 ms/)
    } finally {
      await stopExportSweep(store)
    }
  })
})

describe('stopExportSweep: running exports drain (issue 17.8)', () => {
  it('settles once the exports running in this process have ended; nothing is aborted within graceMs', async () => {
    const store = await closedConversations(['conv-1', 'conv-2'])
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const signals: AbortSignal[] = []
    createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      settleMs: 0,
      sweepIntervalMs: 10,
      onConversationFinished: async (_c, { signal }) => {
        signals.push(signal)
        await held
      },
    })
    const deadline = Date.now() + 10_000
    while (signals.length < 2 && Date.now() < deadline) await sleep(10)
    let drained = false
    const stopping = stopExportSweep(store, { graceMs: 60_000 }).then(() => {
      drained = true
    })
    await sleep(100)
    expect(drained).toBe(false)
    release()
    await stopping
    expect(signals.map((s) => s.aborted)).toEqual([false, false])
    expect((await store.conversations()).map((c) => c.state)).toEqual(['exported', 'exported'])
  })

  it('after graceMs gives the rest up through their signal (ExportStoppedError) and releases them for another process at once', async () => {
    const store = await closedConversations(['conv-1'])
    const signals: AbortSignal[] = []
    const errors: unknown[] = []
    createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      settleMs: 0,
      sweepIntervalMs: 10,
      leaseMs: 60_000,
      onConversationFinished: async (_c, { signal }) => {
        signals.push(signal)
        await new Promise(() => {})
      },
      onExportError: (e) => void errors.push(e),
    })
    const deadline = Date.now() + 10_000
    while (signals.length < 1 && Date.now() < deadline) await sleep(10)
    await stopExportSweep(store, { graceMs: 50 })
    expect(signals[0]?.aborted).toBe(true)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ExportStoppedError)
    expect(signals[0]?.reason).toBe(errors[0])
    expect((errors[0] as Error).message).toMatch(/conversation conv-1 was still running 50 ms after/)
    // Released with no delay: another process claims it now, not after the 60 s lease.
    const claims = await store.claimFinished({
      owner: 'B',
      leaseMs: 60_000,
      quietMs: null,
      settleMs: 0,
      limit: 5,
    })
    expect(claims.map((c) => [c.conversationId, c.revision])).toEqual([['conv-1', 1]])
    // Not the export's fault: the try given up at shutdown counts nothing toward maxExportAttempts.
    expect(claims[0]?.failures).toBe(0)
  })

  it('exports given up at every shutdown never make a conversation failed (maxExportAttempts: 1)', async () => {
    const store = await closedConversations(['conv-1'])
    for (let restart = 0; restart < 3; restart++) {
      const signals: AbortSignal[] = []
      createSmartsuppWebhookListener({
        secret: SECRET,
        store,
        settleMs: 0,
        sweepIntervalMs: 10,
        leaseMs: 60_000,
        maxExportAttempts: 1,
        onConversationFinished: async (_c, { signal }) => {
          signals.push(signal)
          await new Promise(() => {})
        },
        onExportError: () => {},
      })
      const deadline = Date.now() + 10_000
      while (signals.length < 1 && Date.now() < deadline) await sleep(10)
      expect(signals).toHaveLength(1)
      await stopExportSweep(store, { graceMs: 20 })
      expect(await store.conversation('conv-1')).toMatchObject({ state: 'pending' })
    }
  })

  it('refuses a graceMs that is not a number of milliseconds ≥ 0', () => {
    const store = memoryEventStore()
    expect(() => stopExportSweep(store, { graceMs: -1 })).toThrow(
      /graceMs must be a number of milliseconds ≥ 0/,
    )
  })
})

describe('closing for good (closeOnSignals, the Nest module) while a sweep lane claims', () => {
  it('a lane started by a delivery claims nothing after the close began; a claim it had in flight is waited for and handed back before the close settles', async () => {
    const inner = await closedConversations(['conv-1', 'conv-2', 'conv-3', 'conv-4'])
    let claims = 0
    let openGate: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      openGate = resolve
    })
    const store: EventStore = {
      ...inner,
      claimFinished: async (o) => {
        claims++
        // The store claims at once; its answer arrives later, as over a slow network.
        const claimed = await inner.claimFinished(o)
        await gate
        return claimed
      },
    }
    const exported: string[] = []
    const listener = createSmartsuppWebhookListener({
      secret: SECRET,
      store,
      settleMs: 0,
      quietMs: null,
      // A sweep timer that never ticks within the test: the lanes after the answer are what claims.
      sweepIntervalMs: 600_000,
      exportSweep: 2,
      onConversationFinished: (c) => void exported.push(c.id),
      onExportError: () => {},
    })
    const [opened] = webhookConversation({ id: 'conv-9' }).opened().build()
    expect((await postWebhookEvent(listener, opened, { secret: SECRET, as: 'node' })).status).toBe(200)
    const deadline = Date.now() + 10_000
    while (claims < 1 && Date.now() < deadline) await sleep(5)
    expect(claims).toBe(1)

    let closeSettled = false
    const closing = stopExportsForClose(store, 5000).then(() => {
      closeSettled = true
    })
    await sleep(50)
    // The claim in flight holds two conversations: the close waits for it.
    expect(closeSettled).toBe(false)
    openGate()
    await closing
    // Handed back, not exported, not left claimed until their lease ends, no try counted; and the
    // lane, which got as many as it asked for, claimed nothing more.
    expect(exported).toEqual([])
    const states = await inner.conversations()
    expect(states.filter((c) => c.state === 'claimed')).toEqual([])
    expect(states.filter((c) => c.failures > 0)).toEqual([])
    expect(claims).toBe(1)
    // A delivery after the close begins starts no lane either.
    const [, reply] = webhookConversation({ id: 'conv-9' }).opened().contactReplied('Hi').build()
    expect((await postWebhookEvent(listener, reply, { secret: SECRET, as: 'node' })).status).toBe(200)
    await sleep(50)
    expect(claims).toBe(1)
  })
})
