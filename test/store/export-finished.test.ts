// exportFinished when the store fails around a successful or failed export.
import { describe, expect, it } from 'vitest'
import { decodeWebhookEvent } from '../../src/decode/webhook/decode-webhook-event.js'
import type { EventStore } from '../../src/store/event-store.js'
import {
  ExportNotMarkedError,
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
    expect(report).toEqual({ exported: ['c2'], failed: [{ conversationId: 'c1', error: 'CRM down' }] })
    expect(errors).toEqual(['CRM down', 'store down'])
    expect((await store.conversation('c2'))?.state).toBe('exported')
  })
})
