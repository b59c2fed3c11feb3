// exportFinished: when the store fails around a successful or failed export; each claimed
// conversation exported on its own (concurrent, timed out, lease renewed, failed after N tries);
// revisions.
import { describe, expect, it } from 'vitest'
import { decodeWebhookEvent } from '../../src/decode/webhook/decode-webhook-event.js'
import type { EventStore } from '../../src/store/event-store.js'
import { defaultRetryDelayMs, resolveExportOptions } from '../../src/store/export-finished.js'
import {
  ClaimLostError,
  ConversationFailedError,
  ExportNotMarkedError,
  ExportTimeoutError,
  exportFinished,
  memoryEventStore,
  storedEventOf,
} from '../../src/store/index.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'
import { testClock } from './support/test-clock.js'

const encoder = new TextEncoder()

async function storeWithClosed(ids: readonly string[]) {
  const clock = testClock()
  const store = memoryEventStore({ clock: clock.now })
  for (const id of ids) {
    for (const wire of webhookConversation({ id }).opened().contactReplied('Hi').closed().build()) {
      const decoded = decodeWebhookEvent(wire)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      await store.append(storedEventOf(decoded.right, encoder.encode(JSON.stringify(wire))))
    }
  }
  return { store, clock }
}

const base = { settleMs: 0, leaseMs: 60_000, quietMs: null, owner: 'A', retryDelayMs: () => 1000 } as const

describe('exportFinished around store failures', () => {
  it('a markExported that fails after a successful export: reported, not released, not exported again before the lease ends', async () => {
    const { store, clock } = await storeWithClosed(['c1'])
    let failMark = true
    const flaky: EventStore = {
      ...store,
      markExported: async (claim) => {
        if (failMark) {
          failMark = false
          throw new Error('connection reset')
        }
        return store.markExported(claim)
      },
    }
    const calls: string[] = []
    const errors: unknown[] = []
    const options = {
      ...base,
      store: flaky,
      onConversationFinished: (c: { id: string }) => void calls.push(c.id),
      onError: (e: unknown) => void errors.push(e),
    }
    expect(await exportFinished(options)).toEqual({ exported: ['c1'], failed: [] })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ExportNotMarkedError)
    expect(String((errors[0] as Error).message)).toMatch(
      /succeeded for conversation c1.*connection reset.*leaseMs/,
    )
    // Not released: a run before the lease ends exports nothing, so no second call.
    clock.advance(59_999)
    expect(await exportFinished(options)).toEqual({ exported: [], failed: [] })
    expect(calls).toEqual(['c1'])
    // The documented second call: once the lease ran out, the conversation is due again.
    clock.advance(1)
    expect(await exportFinished(options)).toEqual({ exported: ['c1'], failed: [] })
    expect(calls).toEqual(['c1', 'c1'])
    expect((await store.conversation('c1'))?.state).toBe('exported')
  })

  it('a release that fails does not stop the rest of the batch', async () => {
    const { store } = await storeWithClosed(['c1', 'c2'])
    const failing: EventStore = {
      ...store,
      release: async () => {
        throw new Error('store down')
      },
    }
    const errors: string[] = []
    const report = await exportFinished({
      ...base,
      store: failing,
      onConversationFinished: (c) => {
        if (c.id === 'c1') throw new Error('CRM down')
      },
      onError: (e) => void errors.push((e as Error).message),
    })
    expect(report).toEqual({
      exported: ['c2'],
      failed: [{ conversationId: 'c1', error: 'CRM down', gaveUp: false }],
    })
    expect(errors).toEqual(['CRM down', 'store down'])
    expect((await store.conversation('c2'))?.state).toBe('exported')
  })

  it('an onError that never settles holds nothing: the failed try is still released and the call resolves', async () => {
    const { store } = await storeWithClosed(['c1'])
    const errors: string[] = []
    const done = exportFinished({
      ...base,
      store,
      onConversationFinished: () => {
        throw new Error('CRM down')
      },
      onError: (e) => {
        errors.push((e as Error).message)
        return new Promise(() => {}) // e.g. an alert to a chat service that hangs
      },
    })
    // A bound for the hang (it never resolved before), not a measure.
    const outcome = await Promise.race([done, sleep(10_000).then(() => 'still waiting for onError')])
    expect(outcome).toEqual({
      exported: [],
      failed: [{ conversationId: 'c1', error: 'CRM down', gaveUp: false }],
    })
    expect(errors).toEqual(['CRM down'])
    expect(await store.conversation('c1')).toMatchObject({
      state: 'pending',
      failures: 1,
      lastError: 'CRM down',
    })
  })
})

/** A promise and its resolve, to hold a callback until the test lets it go. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {}
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('exportFinished: each conversation on its own (issue 17.2)', () => {
  it('exports the conversations it claimed concurrently: each callback starts while the others still run', async () => {
    const { store } = await storeWithClosed(['c1', 'c2', 'c3'])
    const started = new Set<string>()
    const allStarted = deferred()
    // Each callback waits until all three have started: one after another, none would ever finish.
    const report = await exportFinished({
      ...base,
      store,
      exportTimeoutMs: 60_000,
      onConversationFinished: async (c) => {
        started.add(c.id)
        if (started.size === 3) allStarted.resolve()
        await allStarted.promise
      },
    })
    expect([...report.exported].sort()).toEqual(['c1', 'c2', 'c3'])
  })

  it('a callback that never settles is given up at exportTimeoutMs: signal aborted, ExportTimeoutError reported, released with its delay; the others are exported', async () => {
    const { store, clock } = await storeWithClosed(['c1', 'hung', 'c3'])
    const errors: { error: unknown; id: string | null }[] = []
    let signal: AbortSignal | null = null
    const report = await exportFinished({
      ...base,
      store,
      exportTimeoutMs: 200,
      onConversationFinished: (c, context) => {
        if (c.id !== 'hung') return
        signal = context.signal
        return new Promise(() => {})
      },
      onError: (error, id) => void errors.push({ error, id }),
    })
    expect([...report.exported].sort()).toEqual(['c1', 'c3'])
    expect(report.failed).toEqual([
      { conversationId: 'hung', error: expect.stringMatching(/exportTimeoutMs \(200 ms/), gaveUp: false },
    ])
    expect(errors).toHaveLength(1)
    expect(errors[0]?.id).toBe('hung')
    const timeout = errors[0]?.error as ExportTimeoutError
    expect(timeout).toBeInstanceOf(ExportTimeoutError)
    expect(timeout).toMatchObject({
      name: 'SmartsuppExportTimeoutError',
      conversationId: 'hung',
      timeoutMs: 200,
    })
    expect(timeout.message).toMatch(/in onConversationFinished.*raise exportTimeoutMs.*context\.signal/)
    expect((signal as AbortSignal | null)?.aborted).toBe(true)
    expect((signal as AbortSignal | null)?.reason).toBe(timeout)
    expect(await store.conversation('hung')).toMatchObject({
      state: 'pending',
      failures: 1,
      lastError: timeout.message,
    })
    // Released with its delay (retryDelayMs: 1 s here), then tried again.
    clock.advance(999)
    expect(await exportFinished({ ...base, store, onConversationFinished: () => {} })).toEqual({
      exported: [],
      failed: [],
    })
    clock.advance(1)
    expect(await exportFinished({ ...base, store, onConversationFinished: () => {} })).toEqual({
      exported: ['hung'],
      failed: [],
    })
  })

  it('renews the lease while the callback runs: another exporter never gets the conversation meanwhile', async () => {
    // A real clock and a lease of 150 ms; the export takes several leases.
    const store = memoryEventStore()
    for (const wire of webhookConversation({ id: 'slow' }).opened().contactReplied('Hi').closed().build()) {
      const decoded = decodeWebhookEvent(wire)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      await store.append(storedEventOf(decoded.right, encoder.encode(JSON.stringify(wire))))
    }
    const calls: string[] = []
    const release = deferred()
    const options = { ...base, store, leaseMs: 150, exportTimeoutMs: 60_000 }
    const first = exportFinished({
      ...options,
      owner: 'A',
      onConversationFinished: async (c, context) => {
        calls.push(`A ${c.id} ${context.revision}`)
        await release.promise
      },
    })
    const errors: unknown[] = []
    for (let i = 0; i < 12; i++) {
      await sleep(50)
      const other = await exportFinished({
        ...options,
        owner: 'B',
        onConversationFinished: (c) => void calls.push(`B ${c.id}`),
        onError: (e) => void errors.push(e),
      })
      expect(other).toEqual({ exported: [], failed: [] })
    }
    release.resolve()
    expect(await first).toEqual({ exported: ['slow'], failed: [] })
    expect(calls).toEqual(['A slow 1'])
    expect(errors).toEqual([])
    expect(await store.conversation('slow')).toMatchObject({ state: 'exported', attempts: 1, revision: 1 })
  })

  it('a claim found lost while renewing aborts the signal, is reported as ClaimLostError and is neither marked nor released', async () => {
    const { store } = await storeWithClosed(['c1'])
    const lost: EventStore = { ...store, renew: async () => null }
    const errors: unknown[] = []
    let signal: AbortSignal | null = null
    const marked: string[] = []
    const report = await exportFinished({
      ...base,
      store: {
        ...lost,
        markExported: async (claim, e) => {
          marked.push('mark')
          return store.markExported(claim, e)
        },
      },
      leaseMs: 60,
      exportTimeoutMs: 60_000,
      onConversationFinished: (_, context) => {
        signal = context.signal
        return new Promise((resolve) => context.signal.addEventListener('abort', resolve))
      },
      onError: (e) => void errors.push(e),
    })
    expect(report.exported).toEqual([])
    expect(report.failed).toEqual([
      {
        conversationId: 'c1',
        error: expect.stringMatching(/claim on conversation c1 was lost/),
        gaveUp: false,
      },
    ])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ClaimLostError)
    expect((signal as AbortSignal | null)?.reason).toBe(errors[0])
    expect(marked).toEqual([])
    expect(await store.conversation('c1')).toMatchObject({ state: 'claimed', lastError: null, failures: 0 })
  })

  it('fails maxExportAttempts tries in a row → failed: ConversationFailedError, never claimed again until retryFailed', async () => {
    const { store, clock } = await storeWithClosed(['c1'])
    const errors: unknown[] = []
    const attempts: number[] = []
    const options = {
      ...base,
      store,
      maxExportAttempts: 3,
      onConversationFinished: (_: unknown, context: { attempt: number }) => {
        attempts.push(context.attempt)
        throw new Error(`CRM said 400 (try ${context.attempt})`)
      },
      onError: (e: unknown) => void errors.push(e),
    }
    const reports = []
    for (let i = 0; i < 5; i++) {
      reports.push(await exportFinished(options))
      clock.advance(1000)
    }
    expect(attempts).toEqual([1, 2, 3])
    expect(reports.map((r) => r.failed.map((f) => f.gaveUp))).toEqual([[false], [false], [true], [], []])
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'Error',
      'Error',
      'SmartsuppConversationFailedError',
    ])
    const gaveUp = errors[2] as ConversationFailedError
    expect(gaveUp).toBeInstanceOf(ConversationFailedError)
    expect(gaveUp.message).toMatch(
      /conversation c1 failed to export 3 times in a row .* smartsupp-hook export --retry "c1" .*Last error: CRM said 400 \(try 3\)/,
    )
    expect((gaveUp.cause as Error).message).toBe('CRM said 400 (try 3)')
    expect(await store.conversation('c1')).toMatchObject({ state: 'failed', failures: 3, attempts: 3 })
    expect(await store.retryFailed({ conversationId: 'c1' })).toEqual(['c1'])
    const calls: number[] = []
    expect(
      await exportFinished({ ...options, onConversationFinished: (_, c) => void calls.push(c.attempt) }),
    ).toEqual({ exported: ['c1'], failed: [] })
    expect(calls).toEqual([1])
  })

  it('a conversation whose exports never finished (its exporters died) maxExportAttempts times is failed without calling again', async () => {
    const { store, clock } = await storeWithClosed(['c1'])
    for (let i = 0; i < 3; i++) {
      expect(
        await store.claimFinished({ owner: `dead-${i}`, leaseMs: 1000, quietMs: null, limit: 1 }),
      ).toHaveLength(1)
      clock.advance(1000)
    }
    const errors: unknown[] = []
    const calls: string[] = []
    const report = await exportFinished({
      ...base,
      store,
      maxExportAttempts: 3,
      onConversationFinished: (c) => void calls.push(c.id),
      onError: (e) => void errors.push(e),
    })
    expect(calls).toEqual([])
    expect(report.failed).toEqual([
      { conversationId: 'c1', error: expect.stringMatching(/last 3 tries never finished/), gaveUp: true },
    ])
    expect(errors[0]).toBeInstanceOf(ConversationFailedError)
    expect(await store.conversation('c1')).toMatchObject({ state: 'failed' })
  })
})

describe('exportFinished: a store that stops answering holds nothing forever (issue 17.8)', () => {
  const never = <T>() => new Promise<T>(() => {})

  it('a claim the store never answers rejects after leaseMs, naming the call', async () => {
    const { store } = await storeWithClosed(['c1'])
    const frozen: EventStore = { ...store, claimFinished: () => never() }
    await expect(
      exportFinished({ ...base, leaseMs: 150, store: frozen, onConversationFinished: () => {} }),
    ).rejects.toThrow(/the event store did not answer claimFinished within 150 ms/)
  })

  it('a markExported the store never answers is reported as ExportNotMarkedError after leaseMs; the export counts as done', async () => {
    const { store } = await storeWithClosed(['c1'])
    const frozen: EventStore = { ...store, markExported: () => never() }
    const errors: unknown[] = []
    const report = await exportFinished({
      ...base,
      leaseMs: 150,
      store: frozen,
      onConversationFinished: () => {},
      onError: (e) => void errors.push(e),
    })
    expect(report).toEqual({ exported: ['c1'], failed: [] })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ExportNotMarkedError)
    expect((errors[0] as Error).message).toMatch(/did not answer markExported within 150 ms/)
  })

  it('renewals the store never answers: once the lease ran out unrenewed the try stops (ClaimLostError, signal aborted), before it writes', async () => {
    const { store } = await storeWithClosed(['c1'])
    const frozen: EventStore = { ...store, renew: () => never() }
    const errors: unknown[] = []
    let signal: AbortSignal | null = null
    const report = await exportFinished({
      ...base,
      leaseMs: 300,
      exportTimeoutMs: 60_000,
      store: frozen,
      onConversationFinished: async (_c, context) => {
        signal = context.signal
        await never()
      },
      onError: (e) => void errors.push(e),
    })
    expect(report.failed).toHaveLength(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ClaimLostError)
    expect((errors[0] as Error).message).toMatch(/conversation c1 .*lease.* ran out unrenewed/)
    expect((signal as AbortSignal | null)?.aborted).toBe(true)
    expect((signal as AbortSignal | null)?.reason).toBe(errors[0])
  })
})

describe('exportFinished: revisions (issue 17.3)', () => {
  it('an event stored while the callback runs makes revision 2, exported whole; context tells the revision', async () => {
    const store = memoryEventStore({ clock: testClock().now })
    const wires = webhookConversation({ id: 'c1' })
      .opened()
      .contactReplied('Hi')
      .contactReplied('One more thing')
      .closed()
      .build()
    const lateWire = wires[2]
    for (const wire of wires.filter((w) => w !== lateWire)) {
      const decoded = decodeWebhookEvent(wire)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      await store.append(storedEventOf(decoded.right, encoder.encode(JSON.stringify(wire))))
    }
    const calls: { revision: number; attempt: number; events: number; texts: string[] }[] = []
    const onConversationFinished = async (
      c: { messages: readonly { content?: unknown }[] },
      context: { revision: number; attempt: number; storedEvents: readonly unknown[] },
    ) => {
      calls.push({
        revision: context.revision,
        attempt: context.attempt,
        events: context.storedEvents.length,
        texts: c.messages.map((m) => String(m.content ?? '')),
      })
      if (calls.length === 1) {
        // Delivered while the export runs, after it read the events.
        const decoded = decodeWebhookEvent(lateWire)
        if (decoded._tag === 'Left') throw new Error(decoded.left.message)
        await store.append(storedEventOf(decoded.right, encoder.encode(JSON.stringify(lateWire))))
      }
    }
    expect(await exportFinished({ ...base, store, onConversationFinished })).toEqual({
      exported: ['c1'],
      failed: [],
    })
    expect(await store.conversation('c1')).toMatchObject({
      state: 'pending',
      revision: 1,
      eventsAfterExport: 1,
    })
    expect(await exportFinished({ ...base, store, onConversationFinished })).toEqual({
      exported: ['c1'],
      failed: [],
    })
    expect(await exportFinished({ ...base, store, onConversationFinished })).toEqual({
      exported: [],
      failed: [],
    })
    expect(calls.map((c) => [c.revision, c.attempt, c.events])).toEqual([
      [1, 1, 3],
      [2, 1, 4],
    ])
    expect(calls[1]?.texts).toContain('One more thing')
    expect(await store.conversation('c1')).toMatchObject({
      state: 'exported',
      revision: 2,
      eventsAfterExport: 0,
    })
  })
})

describe('the export defaults, as docs/stores.md states them', () => {
  it('quietMs 30 min, settleMs 30 s, leaseMs 60 s, exportTimeoutMs 30 s, maxExportAttempts 20, limit 10', () => {
    const settings = resolveExportOptions({ store: memoryEventStore(), onConversationFinished: () => {} })
    expect(settings).toMatchObject({
      quietMs: 30 * 60_000,
      settleMs: 30_000,
      leaseMs: 60_000,
      exportTimeoutMs: 30_000,
      maxExportAttempts: 20,
      limit: 10,
    })
    // 20 tries: the delays between them (2 s, 4 s … capped at 10 minutes) add up to about two hours.
    const waited = Array.from({ length: 19 }, (_, i) => defaultRetryDelayMs(i + 1)).reduce((a, b) => a + b)
    expect(waited / 3_600_000).toBeCloseTo(1.95, 2)
  })

  it('refuses unusable export options with a TypeError naming them', () => {
    const store = memoryEventStore()
    const make = (extra: object) => () =>
      resolveExportOptions({ store, onConversationFinished: () => {}, ...extra })
    expect(make({ exportTimeoutMs: 0 })).toThrow(/exportTimeoutMs must be a positive number/)
    expect(make({ exportTimeoutMs: 3_000_000_000 })).toThrow(/exportTimeoutMs .*at most 2147483647/)
    expect(make({ maxExportAttempts: 0 })).toThrow(/maxExportAttempts must be a positive integer/)
    expect(make({ maxExportAttempts: 2.5 })).toThrow(/maxExportAttempts/)
    expect(make({ leaseMs: Number.NaN })).toThrow(/leaseMs/)
    expect(make({ retryDelayMs: 5 })).toThrow(/retryDelayMs must be a function/)
  })
})
