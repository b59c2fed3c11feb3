// The event store contract: one suite that memoryEventStore, pgliteEventStore (in memory and on
// a data directory) and postgresEventStore all pass, so they behave identically. Each test gets
// a fresh, empty store and a hand-moved clock.
import { afterEach, describe, expect, test } from 'vitest'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import { assembleStored } from '../../src/store/assemble-stored.js'
import type { EventStore, ExportClaim, StoredConversation } from '../../src/store/event-store.js'
import { storedConversationId } from '../../src/store/storable-text.js'
import { storedEventOf } from '../../src/store/stored-event-of.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'
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
          revision: 1,
          failures: 0,
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
      // The first claim never concluded: that try counts as failed.
      expect(second).toMatchObject({
        conversationId: 'c1',
        owner: 'B',
        attempt: 2,
        reason: 'closed',
        revision: 1,
        failures: 1,
      })
      expect(await store.markExported(first as ExportClaim)).toBe(false)
      await store.release(first as ExportClaim, 'late failure', 0)
      expect(await store.conversation('c1')).toMatchObject({ state: 'claimed', lastError: null, attempts: 2 })
      expect(await store.markExported(second as ExportClaim)).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({
        state: 'exported',
        exportedAt: clock.now(),
        revision: 1,
        failures: 0,
      })
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

    test('release with failed: false (a shutdown) gives the claim back without counting a try toward maxExportAttempts', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(claim.failures).toBe(0)
      await store.release(claim, 'its process shut down', 0, { failed: false })
      expect(await store.conversation('c1')).toMatchObject({
        state: 'pending',
        lastError: 'its process shut down',
      })
      const [again] = (await store.claimFinished({ owner: 'B', ...claimAll })) as [ExportClaim]
      expect(again).toMatchObject({ conversationId: 'c1', owner: 'B', attempt: 2, failures: 0 })
      // A release that counts (the default) still does.
      await store.release(again, 'CRM said 502', 0)
      clock.advance(1)
      const [third] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(third).toMatchObject({ attempt: 3, failures: 1 })
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

    test('events received after the export re-open it: due again once settled, as revision 2', async () => {
      const { store, clock } = await fresh()
      const settle = { ...claimAll, settleMs: 10_000 }
      await store.append(newEvent('k1'))
      await store.append(closingEvent('c1'))
      clock.advance(10_000)
      const [claim] = (await store.claimFinished({ owner: 'A', ...settle })) as [ExportClaim]
      expect(claim).toMatchObject({ revision: 1, attempt: 1, failures: 0 })
      expect(await store.markExported(claim, { eventCount: 2 })).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({ state: 'exported', revision: 1 })
      clock.advance(MINUTE)
      // A re-delivery changes nothing; new events (a late message, a rating, a second close) re-open it.
      expect(await store.append(newEvent('k1'))).toEqual({ inserted: false })
      expect(await stateOf(store, 'c1')).toBe('exported')
      expect(await store.append(newEvent('rated', { event: 'conversation.rated' }))).toEqual({
        inserted: true,
      })
      expect(await store.append(closingEvent('c1', 'closed-again'))).toEqual({ inserted: true })
      expect(await store.conversation('c1')).toMatchObject({
        state: 'pending',
        revision: 1,
        eventCount: 4,
        eventsAfterExport: 2,
        lastReceivedAt: clock.now(),
      })
      expect(await store.events('c1')).toHaveLength(4)
      // Not before it settled again.
      clock.advance(9_999)
      expect(await store.claimFinished({ owner: 'B', ...settle })).toEqual([])
      clock.advance(1)
      const [again] = (await store.claimFinished({ owner: 'B', ...settle })) as [ExportClaim]
      expect(again).toMatchObject({
        conversationId: 'c1',
        revision: 2,
        attempt: 2,
        failures: 0,
        reason: 'closed',
      })
      expect(await store.markExported(again, { eventCount: 4 })).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({
        state: 'exported',
        revision: 2,
        eventsAfterExport: 0,
        exportedAt: clock.now(),
      })
      clock.advance(MINUTE)
      expect(await store.claimFinished({ owner: 'C', ...settle, quietMs: 1 })).toEqual([])
    })

    test('an event appended while the export runs (after it read the events) makes another revision', async () => {
      const { store, clock } = await fresh()
      await store.append(newEvent('k1'))
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      const read = await store.events('c1')
      expect(read).toHaveLength(2)
      clock.advance(1000)
      await store.append(newEvent('k-during'))
      // The export held the 2 events it read; the third is stored beyond them.
      expect(await store.markExported(claim, { eventCount: read.length })).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({
        state: 'pending',
        revision: 1,
        eventsAfterExport: 1,
      })
      const [next] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(next).toMatchObject({ conversationId: 'c1', revision: 2 })
      expect(await store.events('c1')).toHaveLength(3)
      // Without a count, everything stored when marking counts as exported.
      await store.append(newEvent('k-during-2'))
      expect(await store.markExported(next)).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({ state: 'exported', revision: 2, eventCount: 4 })
    })

    test('a count larger than what is stored cannot hide later events; a bad count is refused', async () => {
      const { store } = await fresh()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      await expect(store.markExported(claim, { eventCount: -1 })).rejects.toThrow(/eventCount/)
      await expect(store.markExported(claim, { eventCount: 1.5 })).rejects.toThrow(/eventCount/)
      expect(await store.markExported(claim, { eventCount: 99 })).toBe(true)
      await store.append(newEvent('k-late'))
      expect(await store.conversation('c1')).toMatchObject({ state: 'pending', eventsAfterExport: 1 })
    })
  })

  describe('renew', () => {
    test('extends the lease: nobody else claims while it is renewed; the owner then marks the export', async () => {
      const { store, clock, another } = await fresh()
      const other = await another()
      await store.append(closingEvent('c1'))
      const [claim] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      for (let i = 0; i < 5; i++) {
        clock.advance(claimAll.leaseMs - 1)
        const until = await store.renew(claim, claimAll.leaseMs)
        expect(until).toEqual(new Date(clock.now().getTime() + claimAll.leaseMs))
        expect(await other.claimFinished({ owner: 'B', ...claimAll })).toEqual([])
        expect(await stateOf(other, 'c1')).toBe('claimed')
      }
      expect(await store.markExported(claim, { eventCount: 1 })).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({ state: 'exported', attempts: 1, failures: 0 })
    })

    test('a lost claim is not renewed (null): after another owner claimed it, or for the wrong owner or attempt', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [first] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(await store.renew({ ...first, owner: 'B' }, 1000)).toBeNull()
      expect(await store.renew({ ...first, attempt: 2 }, 1000)).toBeNull()
      expect(await store.renew({ ...first, conversationId: 'c2' }, 1000)).toBeNull()
      // Expired, nobody else claimed: still ours, renewed.
      clock.advance(claimAll.leaseMs + 1)
      expect(await store.renew(first, 1000)).toEqual(new Date(clock.now().getTime() + 1000))
      clock.advance(1000)
      const [second] = (await store.claimFinished({ owner: 'B', ...claimAll })) as [ExportClaim]
      expect(await store.renew(first, claimAll.leaseMs)).toBeNull()
      expect(await store.renew(second, claimAll.leaseMs)).not.toBeNull()
      await expect(store.renew(second, 0)).rejects.toThrow(/leaseMs/)
      // Concluded claims are not renewed either.
      expect(await store.markExported(second)).toBe(true)
      expect(await store.renew(second, claimAll.leaseMs)).toBeNull()
      expect(await stateOf(store, 'c1')).toBe('exported')
    })
  })

  describe('failed conversations', () => {
    test('release counts failures in a row; markFailed makes it failed: never claimed again until retryFailed', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      const [first] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      await store.release(first, 'CRM said 502', 1000)
      clock.advance(1000)
      const [second] = (await store.claimFinished({ owner: 'A', ...claimAll })) as [ExportClaim]
      expect(second).toMatchObject({ attempt: 2, failures: 1, revision: 1 })
      expect(await store.markFailed({ ...second, owner: 'B' }, 'not mine')).toBe(false)
      expect(await store.markFailed(second, 'CRM said 400: invalid transcript')).toBe(true)
      expect(await store.markFailed(second, 'again')).toBe(false)
      const failed = await store.conversation('c1')
      expect(failed).toMatchObject({
        state: 'failed',
        failures: 2,
        attempts: 2,
        failedAt: clock.now(),
        lastError: 'CRM said 400: invalid transcript',
        revision: 0,
      })
      expect((await store.conversations({ state: 'failed' })).map((c) => c.conversationId)).toEqual(['c1'])
      // Not claimed, whatever time passes or arrives; new events are still stored.
      clock.advance(24 * 60 * MINUTE)
      await store.append(newEvent('late'))
      expect(await store.claimFinished({ owner: 'B', ...claimAll, quietMs: 1 })).toEqual([])
      expect(await store.claimFinished({ owner: 'B', ...claimAll, conversationId: 'c1' })).toEqual([])
      expect(await store.conversation('c1')).toMatchObject({ state: 'failed', eventCount: 2 })
      expect(await store.renew(second, 1000)).toBeNull()

      expect(await store.retryFailed({ conversationId: 'c2' })).toEqual([])
      expect(await store.retryFailed({ conversationId: 'c1' })).toEqual(['c1'])
      expect(await store.retryFailed({ conversationId: 'c1' })).toEqual([])
      expect(await store.conversation('c1')).toMatchObject({ state: 'pending', failures: 0, failedAt: null })
      // Due at once, with a fresh count of tries.
      const [retried] = (await store.claimFinished({ owner: 'B', ...claimAll, settleMs: 60 * MINUTE })) as [
        ExportClaim,
      ]
      expect(retried).toMatchObject({ conversationId: 'c1', attempt: 3, failures: 0, revision: 1 })
      expect(await store.markExported(retried, { eventCount: 2 })).toBe(true)
      expect(await store.conversation('c1')).toMatchObject({ state: 'exported', revision: 1 })
    })

    test('retryFailed({ all: true }) re-opens every failed one (also a quiet one, for a claimer of closed ones only)', async () => {
      const { store, clock } = await fresh()
      for (const id of ['b', 'a', 'ok']) await store.append(closingEvent(id))
      await store.append(newEvent('q1', { conversationId: 'quiet' }))
      clock.advance(30 * MINUTE)
      const claims = await store.claimFinished({ owner: 'A', ...claimAll, quietMs: 30 * MINUTE })
      expect(claims.map((c) => c.conversationId).sort()).toEqual(['a', 'b', 'ok', 'quiet'])
      for (const claim of claims) {
        if (claim.conversationId === 'ok') await store.markExported(claim)
        else expect(await store.markFailed(claim, `broken ${claim.conversationId}`)).toBe(true)
      }
      expect(await store.retryFailed({ all: true })).toEqual(['a', 'b', 'quiet'])
      expect(await store.retryFailed({ all: true })).toEqual([])
      const again = await store.claimFinished({ owner: 'B', ...claimAll, quietMs: null })
      expect(again.map((c) => [c.conversationId, c.reason, c.failures]).sort()).toEqual([
        ['a', 'closed', 0],
        ['b', 'closed', 0],
        ['quiet', 'quiet', 0],
      ])
    })

    test('refuses retryFailed without one conversation or all', async () => {
      const { store } = await fresh()
      await expect(store.retryFailed({} as never)).rejects.toThrow(/conversationId.*all: true/)
      await expect(store.retryFailed({ conversationId: 'a', all: true } as never)).rejects.toThrow(
        /conversationId.*all: true/,
      )
    })

    test('a claim whose lease expired unconcluded counts as a failed try', async () => {
      const { store, clock } = await fresh()
      await store.append(closingEvent('c1'))
      for (let i = 0; i < 3; i++) {
        const [claim] = await store.claimFinished({ owner: `dead-${i}`, ...claimAll })
        expect(claim).toMatchObject({ attempt: i + 1, failures: i })
        clock.advance(claimAll.leaseMs)
      }
      expect(await store.conversation('c1')).toMatchObject({ state: 'pending', failures: 2, attempts: 3 })
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
        revision: 0,
        attempts: 0,
        failures: 0,
        failedAt: null,
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

  describe('values PostgreSQL cannot hold or index as they are (issue 17.4)', () => {
    /** Ids Smartsupp could sign: each, and each plain look-alike, must be its own conversation. */
    const HOSTILE_IDS = {
      nul: 'conv\u0000nul',
      nulEnd: 'conv\u0000',
      loneHigh: 'conv-\ud800',
      loneHighOther: 'conv-\ud801',
      loneLow: 'conv-\udc00',
      replacement: 'conv-\ufffd',
      plain: 'conv-',
      long: 'L'.repeat(800),
      longOther: `${'L'.repeat(799)}M`,
      longMultibyte: '€'.repeat(900),
      looksEscaped: '~esc~conv\\u0000nul',
      looksHashed: `~sha256~${'0'.repeat(64)}`,
      backslash: 'conv\\u0000nul',
    } as const

    const encoder = new TextEncoder()
    /** A conversation's signed bodies, as Smartsupp sends them (the JSON escapes NUL and lone surrogates). */
    const bodiesOf = (id: string) =>
      webhookConversation({ id })
        .opened()
        .contactReplied(`Hi from ${JSON.stringify(id).slice(0, 20)}`)
        .closed()
        .build()
        .map((event) => encoder.encode(JSON.stringify(event)))
    const storedOf = (body: Uint8Array) => {
      const decoded = parseWebhookEvent(body)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      return storedEventOf(decoded.right, body)
    }

    test('every one is stored with its exact bytes, once; distinct ids never merge; assembly keeps the real id', async () => {
      const { store } = await fresh()
      const ids = Object.values(HOSTILE_IDS)
      for (const id of ids) {
        for (const body of bodiesOf(id)) {
          expect(await store.append(storedOf(body))).toEqual({ inserted: true })
          expect(await store.append(storedOf(body))).toEqual({ inserted: false })
        }
      }
      const listed = await store.conversations({ limit: 1000 })
      expect(listed).toHaveLength(ids.length)
      expect(new Set(listed.map((c) => c.conversationId)).size).toBe(ids.length)
      expect(listed.every((c) => c.eventCount === 3)).toBe(true)
      for (const id of ids) {
        const storedId = storedConversationId(id)
        const events = await store.events(storedId)
        expect(events.map((e) => Array.from(e.body))).toEqual(bodiesOf(id).map((b) => Array.from(b)))
        expect(events.every((e) => e.conversationId === storedId)).toBe(true)
      }
      const claims = await store.claimFinished({ owner: 'A', ...claimAll })
      expect(claims).toHaveLength(ids.length)
      const assembled = new Set<string>()
      for (const claim of claims) {
        const conversation = assembleStored(
          claim.conversationId,
          await store.events(claim.conversationId),
          'lenient',
        )
        expect(storedConversationId(conversation.id)).toBe(claim.conversationId)
        expect(conversation.messages.filter((m) => m.kind === 'visitor')).toHaveLength(1)
        assembled.add(conversation.id)
        expect(await store.markExported(claim, { eventCount: 3 })).toBe(true)
      }
      expect([...assembled].sort()).toEqual([...ids].sort())
    })

    test('the stored forms: ordinary values as they are; escaped readably when short, hashed when long', () => {
      expect(storedConversationId('conv-42')).toBe('conv-42')
      expect(storedConversationId('€'.repeat(166))).toBe('€'.repeat(166))
      expect(storedConversationId(HOSTILE_IDS.nul)).toBe('~esc~conv\\u0000nul')
      expect(storedConversationId(HOSTILE_IDS.loneHigh)).toBe('~esc~conv-\\ud800')
      expect(storedConversationId(HOSTILE_IDS.looksEscaped)).toBe('~esc~~esc~conv\\\\u0000nul')
      expect(storedConversationId(HOSTILE_IDS.backslash)).toBe('conv\\u0000nul')
      expect(storedConversationId(HOSTILE_IDS.long)).toMatch(/^~sha256~[0-9a-f]{64}$/)
      expect(storedConversationId(HOSTILE_IDS.longOther)).not.toBe(storedConversationId(HOSTILE_IDS.long))
    })

    test('a NUL or lone surrogate in the account id or the event name, a key too long to index: stored, escaped', async () => {
      const { store } = await fresh()
      const body = encoder.encode(
        JSON.stringify({
          event: 'conversation.\u0000weird_\udfff',
          timestamp: '2026-03-01T11:00:00.000Z',
          account_id: `acc\u0000${'x'.repeat(2000)}`,
          data: { conversation: { id: 'conv-odd' } },
        }),
      )
      const event = storedOf(body)
      expect(event.event).toBe('~esc~conversation.\\u0000weird_\\udfff')
      expect(event.key).toMatch(/^~sha256~[0-9a-f]{64}$/)
      expect(await store.append(event)).toEqual({ inserted: true })
      expect(await store.append(storedOf(body))).toEqual({ inserted: false })
      const [stored] = await store.events('conv-odd')
      expect(stored).toMatchObject({ key: event.key, event: event.event, accountId: event.accountId })
      expect(Array.from(stored?.body ?? [])).toEqual(Array.from(body))
    })

    test('every store refuses the raw values alike, naming the field and the fix', async () => {
      const { store } = await fresh()
      const cases: [Partial<Parameters<EventStore['append']>[0]>, RegExp][] = [
        [{ conversationId: 'a\u0000b' }, /event\.conversationId holds a NUL/],
        [{ conversationId: 'a\ud800' }, /event\.conversationId holds a lone surrogate/],
        [{ conversationId: 'x'.repeat(501) }, /event\.conversationId is 501 UTF-8 bytes/],
        [{ accountId: '\udc00' }, /event\.accountId holds a lone surrogate/],
        [{ event: 'conversation.\u0000' }, /event\.event holds a NUL/],
        [{ poisoned: 'bad \u0000' }, /event\.poisoned holds a NUL/],
      ]
      for (const [fields, message] of cases) {
        await expect(store.append(newEvent('k1', fields))).rejects.toThrow(message)
        await expect(store.append(newEvent('k1', fields))).rejects.toThrow(/storedEventOf/)
      }
      await expect(store.append(newEvent(`k-${'€'.repeat(334)}`))).rejects.toThrow(
        /event\.key is 1004 UTF-8 bytes/,
      )
      expect(await store.conversations()).toEqual([])
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
