// The event store contract: one suite that memoryEventStore, pgliteEventStore (in memory and on
// a data directory) and postgresEventStore all pass, so they behave identically. Each test gets
// a fresh, empty store and a hand-moved clock.
import { afterEach, describe, expect, test } from 'vitest'
import type { EventStore, ExportClaim, StoredConversation } from '../../src/store/event-store.js'
import { closingEvent, newEvent } from './support/new-event.js'
import { type TestClock, testClock } from './support/test-clock.js'

export interface OpenedStore {
  readonly store: EventStore
  /** Another store object over the same data, as a second process would open; memory gives the same store. */
  another(): Promise<EventStore>
}

/** Opens a fresh, empty store on `clock`. */
export type OpenStore = (clock: () => Date) => Promise<OpenedStore>

const MINUTE = 60_000
const claimAll = { leaseMs: 5 * MINUTE, quietMs: null, limit: 100 } as const

export function eventStoreContract(open: OpenStore): void {
  const opened: EventStore[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()))
  })

  async function fresh(): Promise<{ store: EventStore; clock: TestClock; another(): Promise<EventStore> }> {
    const clock = testClock()
    const subject = await open(clock.now)
    opened.push(subject.store)
    return {
      store: subject.store,
      clock,
      async another() {
        const other = await subject.another()
        if (other !== subject.store) opened.push(other)
        return other
      },
    }
  }

  const stateOf = async (store: EventStore, id: string) => (await store.conversation(id))?.state

  describe('append', () => {
    test('stores an event once per key: a re-delivery inserts nothing and changes nothing', async () => {
      const { store, clock } = await fresh()
      expect(await store.append(newEvent('k1'))).toEqual({ inserted: true })
      const before = await store.conversation('c1')
      clock.advance(1000)
      expect(await store.append(newEvent('k1', { occurredAt: new Date('2026-03-01T11:30:00Z') }))).toEqual({
        inserted: false,
      })
      expect(await store.events('c1')).toHaveLength(1)
      expect(await store.conversation('c1')).toEqual(before)
      expect(before?.eventCount).toBe(1)
    })

    test('concurrent appends of one key (over two store objects): exactly one is inserted', async () => {
      const { store, another } = await fresh()
      const other = await another()
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? store : other).append(newEvent('same-key'))),
      )
      expect(outcomes.filter((o) => o.inserted)).toHaveLength(1)
      expect(await store.events('c1')).toHaveLength(1)
      expect((await other.conversation('c1'))?.eventCount).toBe(1)
    })

    test('concurrent appends of different keys of one conversation are all counted', async () => {
      const { store, another } = await fresh()
      const other = await another()
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? store : other).append(newEvent(`k${i}`))),
      )
      expect(outcomes.every((o) => o.inserted)).toBe(true)
      expect((await store.conversation('c1'))?.eventCount).toBe(30)
    })

    test('keeps every field as given, with receivedAt from the clock', async () => {
      const { store, clock } = await fresh()
      const event = newEvent('k1', {
        conversationId: 'conv-42',
        accountId: null,
        event: 'visitor.unknown_thing',
        occurredAt: new Date('2026-02-28T23:59:59.123Z'),
        closes: false,
      })
      await store.append(event)
      expect(await store.events('conv-42')).toEqual([{ ...event, receivedAt: clock.now() }])
    })

    test('the body comes back byte for byte: not UTF-8, NUL, every byte value, empty, a view', async () => {
      const { store } = await fresh()
      const everyByte = Uint8Array.from({ length: 256 * 4 }, (_, i) => (i * 7 + 3) % 256)
      const notUtf8 = new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0xed, 0xa0, 0x80, 0x5c, 0x27])
      const large = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24)
      const backing = new Uint8Array([9, 9, 1, 2, 3, 9, 9])
      const view = backing.subarray(2, 5)
      const bodies = { everyByte, notUtf8, large, empty: new Uint8Array(0), view }
      for (const [name, body] of Object.entries(bodies)) {
        await store.append(newEvent(name, { conversationId: name, body }))
      }
      for (const [name, body] of Object.entries(bodies)) {
        const [stored] = await store.events(name)
        expect(stored?.body).toBeInstanceOf(Uint8Array)
        expect(Array.from(stored?.body ?? []), name).toEqual(Array.from(body))
      }
    })

    test('what the caller does with its arrays afterwards does not change the store', async () => {
      const { store } = await fresh()
      const body = new Uint8Array([1, 2, 3])
      await store.append(newEvent('k1', { body }))
      body[0] = 99
      const [first] = await store.events('c1')
      first?.body.fill(0)
      const [again] = await store.events('c1')
      expect(Array.from(again?.body ?? [])).toEqual([1, 2, 3])
    })

    test('refuses an event it cannot store, naming the field', async () => {
      const { store } = await fresh()
      await expect(store.append(newEvent(''))).rejects.toThrow(/event\.key must be a non-empty string/)
      await expect(store.append(newEvent('k1', { body: 'text' as unknown as Uint8Array }))).rejects.toThrow(
        /event\.body must be the received bytes/,
      )
      await expect(store.append(newEvent('k2', { occurredAt: new Date(Number.NaN) }))).rejects.toThrow(
        /occurredAt must be a valid Date/,
      )
      expect(await store.events('c1')).toEqual([])
    })
  })

  describe('events', () => {
    test('oldest occurredAt first, ties by key in code point order, unknown times last', async () => {
      const { store, clock } = await fresh()
      const at = (iso: string) => new Date(iso)
      // Appended in the wrong order, with keys whose UTF-16 order differs from their byte order.
      const appended = [
        newEvent('k-late', { occurredAt: at('2026-03-01T11:05:00Z') }),
        newEvent('k-no-time', { occurredAt: null }),
        newEvent('k-\u{1F600}', { occurredAt: at('2026-03-01T11:00:00Z') }),
        newEvent('k-\uFFFD', { occurredAt: at('2026-03-01T11:00:00Z') }),
        newEvent('k-z', { occurredAt: at('2026-03-01T11:00:00Z') }),
        newEvent('k-\u00e9', { occurredAt: at('2026-03-01T11:00:00Z') }),
        newEvent('k-A', { occurredAt: at('2026-03-01T11:00:00Z') }),
        newEvent('k-early', { occurredAt: at('2026-03-01T10:00:00.001Z') }),
        newEvent('a-no-time', { occurredAt: null }),
      ]
      for (const e of appended) {
        await store.append(e)
        clock.advance(10)
      }
      expect((await store.events('c1')).map((e) => e.key)).toEqual([
        'k-early',
        'k-A',
        'k-z',
        'k-\u00e9',
        'k-\uFFFD',
        'k-\u{1F600}',
        'k-late',
        'a-no-time',
        'k-no-time',
      ])
    })

    test("only the conversation's own events; none for an unknown one", async () => {
      const { store } = await fresh()
      await store.append(newEvent('a1', { conversationId: 'a' }))
      await store.append(newEvent('b1', { conversationId: 'b' }))
      await store.append(newEvent('contact', { conversationId: null, event: 'contact.updated' }))
      expect((await store.events('a')).map((e) => e.key)).toEqual(['a1'])
      expect(await store.events('nope')).toEqual([])
      expect((await store.conversations()).map((c) => c.conversationId).sort()).toEqual(['a', 'b'])
    })
  })

  describe('claimFinished', () => {
    test('claims a closed conversation, once; an open one is not finished without quietMs', async () => {
      const { store, clock } = await fresh()
      await store.append(newEvent('open-1', { conversationId: 'open' }))
      await store.append(newEvent('done-1', { conversationId: 'done' }))
      await store.append(closingEvent('done'))
      clock.advance(24 * 60 * MINUTE)
      const claims = await store.claimFinished({ owner: 'A', ...claimAll })
      expect(claims).toEqual([
        {
          conversationId: 'done',
          owner: 'A',
          until: new Date(clock.now().getTime() + claimAll.leaseMs),
          reason: 'closed',
          attempt: 1,
        },
      ])
      expect(await store.claimFinished({ owner: 'A', ...claimAll })).toEqual([])
      expect(await store.claimFinished({ owner: 'B', ...claimAll })).toEqual([])
      expect(await stateOf(store, 'open')).toBe('open')
    })

    test('with settleMs, a closed conversation is claimed only once nothing arrived for it for that long', async () => {
      const { store, clock } = await fresh()
      const settle = { ...claimAll, settleMs: 10_000 }
      await store.append(closingEvent('s'))
      clock.advance(9_000)
      // A late event (a re-delivered message) restarts the settle period.
      await store.append(newEvent('s-late', { conversationId: 's' }))
      clock.advance(9_999)
      expect(await store.claimFinished({ owner: 'A', ...settle })).toEqual([])
      expect(await store.claimFinished({ owner: 'A', ...settle, conversationId: 's' })).toEqual([])
      clock.advance(1)
      const [claim] = await store.claimFinished({ owner: 'A', ...settle })
      expect(claim).toMatchObject({ conversationId: 's', reason: 'closed', attempt: 1 })
    })

    test('with quietMs, a conversation nothing was received for that long is claimed as quiet', async () => {
      const { store, clock } = await fresh()
      const quiet = { ...claimAll, quietMs: 30 * MINUTE }
      await store.append(newEvent('q1', { conversationId: 'q' }))
      clock.advance(20 * MINUTE)
      // A new event restarts the quiet period (it runs from the last receipt, not the event's time).
      await store.append(
        newEvent('q2', { conversationId: 'q', occurredAt: new Date('2020-01-01T00:00:00Z') }),
      )
      clock.advance(30 * MINUTE - 1)
      expect(await store.claimFinished({ owner: 'A', ...quiet })).toEqual([])
      expect(await stateOf(store, 'q')).toBe('open')
      clock.advance(1)
      const [claim] = await store.claimFinished({ owner: 'A', ...quiet })
      expect(claim).toMatchObject({ conversationId: 'q', reason: 'quiet', attempt: 1 })
      expect(await stateOf(store, 'q')).toBe('claimed')
    })

    test('conversationId claims only that conversation; limit caps, oldest received first', async () => {
      const { store, clock } = await fresh()
      for (const id of ['c', 'a', 'b', 'd']) {
        await store.append(closingEvent(id))
        clock.advance(1000)
      }
      expect(
        (await store.claimFinished({ owner: 'A', ...claimAll, conversationId: 'b' })).map(
          (c) => c.conversationId,
        ),
      ).toEqual(['b'])
      expect(await store.claimFinished({ owner: 'A', ...claimAll, conversationId: 'b' })).toEqual([])
      expect(await store.claimFinished({ owner: 'A', ...claimAll, conversationId: 'unknown' })).toEqual([])
      expect(
        (await store.claimFinished({ owner: 'A', ...claimAll, limit: 2 })).map((c) => c.conversationId),
      ).toEqual(['c', 'a'])
      expect(
        (await store.claimFinished({ owner: 'A', ...claimAll, limit: 2 })).map((c) => c.conversationId),
      ).toEqual(['d'])
    })

    test('concurrent claimers (two store objects) never get the same conversation', async () => {
      const { store, another } = await fresh()
      const other = await another()
      const ids = Array.from({ length: 8 }, (_, i) => `conv-${i}`)
      for (const id of ids) await store.append(closingEvent(id))
      const claims = (
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? store : other).claimFinished({ owner: `owner-${i}`, ...claimAll, limit: 1 }),
          ),
        )
      ).flat()
      expect(claims.map((c) => c.conversationId).sort()).toEqual(ids)
    })

    test('an expired lease lets another owner claim; the old claim can then neither export nor release', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [first] = await store.claimFinished({ owner: 'A', ...claimAll })
      clock.advance(claimAll.leaseMs - 1)
      expect(await store.claimFinished({ owner: 'B', ...claimAll })).toEqual([])
      clock.advance(1)
      expect(await stateOf(store, 'c1')).toBe('pending')
      const [second] = await store.claimFinished({ owner: 'B', ...claimAll })
      expect(second).toMatchObject({ conversationId: 'c1', owner: 'B', attempt: 2, reason: 'closed' })
      expect(await store.markExported(first as ExportClaim)).toBe(false)
      await store.release(first as ExportClaim, 'late failure', 0)
      expect(await store.conversation('c1')).toMatchObject({ state: 'claimed', lastError: null, attempts: 2 })
      expect(await store.markExported(second as ExportClaim)).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({ state: 'exported', exportedAt: clock.now() })
      expect(await store.claimFinished({ owner: 'C', ...claimAll })).toEqual([])
    })

    test('the same owner claiming again after its lease expired holds a new claim; the old one is void', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [first] = await store.claimFinished({ owner: 'A', ...claimAll })
      clock.advance(claimAll.leaseMs)
      const [second] = await store.claimFinished({ owner: 'A', ...claimAll })
      expect(second?.attempt).toBe(2)
      expect(await store.markExported(first as ExportClaim)).toBe(false)
      expect(await store.markExported(second as ExportClaim)).toBe(true)
    })

    test('an expired lease nobody took over still lets its owner mark the export (no second export)', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = await store.claimFinished({ owner: 'A', ...claimAll })
      clock.advance(claimAll.leaseMs * 3)
      expect(await store.markExported(claim as ExportClaim)).toBe(true)
      expect(await stateOf(store, 'c1')).toBe('exported')
    })

    test('refuses unusable options, naming them', async () => {
      const { store } = await fresh()
      await expect(store.claimFinished({ owner: '', ...claimAll })).rejects.toThrow(/owner must be/)
      await expect(store.claimFinished({ owner: 'A', ...claimAll, leaseMs: 0 })).rejects.toThrow(/leaseMs/)
      await expect(store.claimFinished({ owner: 'A', ...claimAll, quietMs: -1 })).rejects.toThrow(/quietMs/)
      await expect(store.claimFinished({ owner: 'A', ...claimAll, limit: 0 })).rejects.toThrow(/limit/)
    })
  })

  describe('markExported and release', () => {
    test('markExported by anyone but the claim owner is refused', async () => {
      const { store } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(await store.markExported({ ...claim, owner: 'B' })).toBe(false)
      expect(await store.markExported({ ...claim, conversationId: 'c2' })).toBe(false)
      expect(await stateOf(store, 'c1')).toBe('claimed')
      expect(await store.markExported(claim)).toBe(true)
      expect(await store.markExported(claim)).toBe(false)
    })

    test('release records the error and holds the conversation back for retryAfterMs', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      await store.release({ ...claim, owner: 'B' }, 'not mine', 0)
      expect(await store.conversation('c1')).toMatchObject({ state: 'claimed', lastError: null })
      await store.release(claim, 'CRM said 502', MINUTE)
      expect(await store.conversation('c1')).toMatchObject({
        state: 'pending',
        lastError: 'CRM said 502',
        attempts: 1,
      })
      clock.advance(MINUTE - 1)
      expect(await store.claimFinished({ owner: 'B', ...claimAll })).toEqual([])
      clock.advance(1)
      const [again] = await store.claimFinished({ owner: 'B', ...claimAll })
      expect(again).toMatchObject({ conversationId: 'c1', owner: 'B', attempt: 2 })
      expect(await store.markExported(again as ExportClaim)).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({
        state: 'exported',
        attempts: 2,
        lastError: 'CRM said 502',
      })
    })

    test('a failed quiet export is retried when due, even by a claimer that claims only closed ones', async () => {
      const { store, clock } = await fresh()
      await store.append(newEvent('k1'))
      clock.advance(30 * MINUTE)
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll, quietMs: 30 * MINUTE })) as [
        ExportClaim,
      ]
      await store.release(claim, 'boom', 1000)
      clock.advance(1000)
      const [again] = await store.claimFinished({ owner: 'B', ...claimAll, quietMs: null })
      expect(again).toMatchObject({ conversationId: 'c1', reason: 'quiet', attempt: 2 })
    })

    test('refuses a negative retry delay', async () => {
      const { store } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      await expect(store.release(claim, 'x', -1)).rejects.toThrow(/retryAfterMs/)
      expect(await stateOf(store, 'c1')).toBe('claimed')
    })

    test('events received after the export are stored and counted; the conversation stays exported', async () => {
      const { store, clock } = await fresh()
      await store.append(newEvent('k1'))
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      await store.markExported(claim)
      clock.advance(MINUTE)
      expect(await store.append(newEvent('k1'))).toEqual({ inserted: false })
      expect(await store.append(newEvent('rated', { event: 'conversation.rated' }))).toEqual({
        inserted: true,
      })
      expect(await store.append(closingEvent('c1', 'closed-again'))).toEqual({ inserted: true })
      expect(await store.conversation('c1')).toMatchObject({
        state: 'exported',
        eventCount: 4,
        eventsAfterExport: 2,
        lastReceivedAt: clock.now(),
      })
      expect(await store.events('c1')).toHaveLength(4)
      expect(await store.claimFinished({ owner: 'B', ...claimAll, quietMs: 1 })).toEqual([])
    })
  })

  describe('poisoned', () => {
    test('an undecodable authentic body is kept with its bytes and reason, once, and listed', async () => {
      const { store, clock } = await fresh()
      const body = new Uint8Array([0x7b, 0xff, 0x00, 0x22])
      const poisoned = {
        key: 'smartsupp-webhook-poisoned:abc',
        conversationId: null,
        accountId: null,
        event: null,
        occurredAt: null,
        closes: false,
        body,
        poisoned: 'Unexpected token in JSON at position 1',
      }
      expect(await store.append(poisoned)).toEqual({ inserted: true })
      clock.advance(1000)
      expect(await store.append(poisoned)).toEqual({ inserted: false })
      await store.append({ ...poisoned, key: 'smartsupp-webhook-poisoned:def', poisoned: 'second' })
      await store.append(newEvent('fine'))
      const listed = await store.poisoned()
      expect(listed.map((e) => e.poisoned)).toEqual(['second', 'Unexpected token in JSON at position 1'])
      expect(listed[1]).toEqual({ ...poisoned, receivedAt: new Date(clock.now().getTime() - 1000) })
      expect(Array.from(listed[1]?.body ?? [])).toEqual([0x7b, 0xff, 0x00, 0x22])
      expect((await store.poisoned(1)).map((e) => e.poisoned)).toEqual(['second'])
      expect((await store.conversations()).map((c) => c.conversationId)).toEqual(['c1'])
    })
  })

  describe('conversations and conversation', () => {
    test('track counts, times and the export state of each conversation', async () => {
      const { store, clock } = await fresh()
      const t0 = clock.now()
      await store.append(newEvent('o1', { conversationId: 'open', accountId: null, occurredAt: null }))
      expect(await store.conversation('open')).toEqual({
        conversationId: 'open',
        accountId: null,
        state: 'open',
        eventCount: 1,
        firstEventAt: null,
        lastEventAt: null,
        lastReceivedAt: t0,
        closedAt: null,
        exportedAt: null,
        attempts: 0,
        lastError: null,
        eventsAfterExport: 0,
      } satisfies StoredConversation)
      clock.advance(1000)
      await store.append(
        newEvent('o2', {
          conversationId: 'open',
          accountId: 'acc-9',
          occurredAt: new Date('2026-03-01T10:00:00Z'),
        }),
      )
      await store.append(
        newEvent('o3', {
          conversationId: 'open',
          accountId: 'acc-8',
          occurredAt: new Date('2026-03-01T09:00:00Z'),
        }),
      )
      expect(await store.conversation('open')).toMatchObject({
        accountId: 'acc-9',
        eventCount: 3,
        firstEventAt: new Date('2026-03-01T09:00:00Z'),
        lastEventAt: new Date('2026-03-01T10:00:00Z'),
        lastReceivedAt: clock.now(),
      })
      clock.advance(1000)
      for (const id of ['pending', 'claimed', 'exported']) await store.append(closingEvent(id))
      const closedAt = clock.now()
      await store.claimFinished({ owner: 'A', ...claimAll, conversationId: 'claimed' })
      const [claim] = await store.claimFinished({ owner: 'A', ...claimAll, conversationId: 'exported' })
      clock.advance(1000)
      await store.markExported(claim as ExportClaim)
      clock.advance(1000)
      await store.append(newEvent('late', { conversationId: 'pending' }))

      expect((await store.conversations()).map((c) => [c.conversationId, c.state])).toEqual([
        ['pending', 'pending'],
        ['claimed', 'claimed'],
        ['exported', 'exported'],
        ['open', 'open'],
      ])
      expect(await store.conversation('exported')).toMatchObject({
        closedAt,
        exportedAt: new Date(closedAt.getTime() + 1000),
        attempts: 1,
      })
      for (const state of ['open', 'pending', 'claimed', 'exported'] as const) {
        expect((await store.conversations({ state })).map((c) => c.conversationId)).toEqual([state])
      }
      expect((await store.conversations({ limit: 2 })).map((c) => c.conversationId)).toEqual([
        'pending',
        'claimed',
      ])
      expect(await store.conversations({ limit: 0 })).toEqual([])
      expect(await store.conversation('unknown')).toBeNull()
      clock.advance(claimAll.leaseMs)
      expect(await stateOf(store, 'claimed')).toBe('pending')
    })
  })

  describe('migrate', () => {
    test('runs twice, and concurrently from several store objects, leaving one working schema', async () => {
      const { store, another } = await fresh()
      await store.migrate()
      await store.migrate()
      const others = await Promise.all([another(), another(), another()])
      await Promise.all([
        store.migrate(),
        ...others.map((s) => s.migrate()),
        ...others.map((s) => s.migrate()),
      ])
      await store.append(closingEvent('c1'))
      for (const other of others) expect(await other.events('c1')).toHaveLength(1)
    })
  })

  test('a closed store rejects calls', async () => {
    const { store } = await fresh()
    await store.append(newEvent('k1'))
    await store.close()
    await expect(store.events('c1')).rejects.toThrow(/closed/)
    await expect(store.append(newEvent('k2'))).rejects.toThrow()
  })
}
