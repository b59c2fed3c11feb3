// The receivers' `store` option, as users run it (issue 12, Deliver 3): the same cases for every
// webhook adapter, over real HTTP, on real stores. The memory store runs every case; PGlite and
// PostgreSQL run the ones whose outcome depends on the store (bytes kept, re-deliveries, poisoned
// bodies, exports). Time is a test clock the store reads, so settle, quiet and retry periods are
// crossed by moving it, never by sleeping; waits poll with a deadline.
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import {
  assembleConversationOrThrow,
  type DecodeFailure,
  parseWebhookEventOrThrow,
  type WebhookEvent,
  webhookEventKey,
} from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AssembledConversation } from '../../../src/model/conversation.js'
import type { ReceiveContext } from '../../../src/receive/receive-context.js'
import type { WebhookReceiveOptions } from '../../../src/receive/webhook-receive-options.js'
import type { EventStore, NewStoredEvent, StoredEvent } from '../../../src/store/event-store.js'
import type { FinishedContext } from '../../../src/store/export-finished.js'
import { memoryEventStore } from '../../../src/store/memory-event-store.js'
import { pgliteEventStore } from '../../../src/store/pglite-event-store.js'
import { poisonedEventKey } from '../../../src/store/poisoned-event-key.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { storedConversationId } from '../../../src/store/storable-text.js'
import { storedEventOf } from '../../../src/store/stored-event-of.js'
import { dropTables } from '../../store/support/drop-tables.js'
import {
  postgresUrl,
  requirePostgresUrl,
  skipPostgres,
  uniquePrefix,
} from '../../store/support/postgres-url.js'
import { type TestClock, testClock } from '../../store/support/test-clock.js'
import type { Running } from './listen.js'
import { postSigned, WEBHOOK_SECRET } from './webhook-contract.js'

/** What every adapter is started with here: the webhook options, request type left open. */
export type StoreReceiverOptions = WebhookReceiveOptions<unknown>

/** Starts a real server whose webhook receiver answers POSTs at `${origin}/hooks/smartsupp`; rejects when an option is wrong. */
export type StartStoreReceiver = (options: StoreReceiverOptions) => Promise<Running>

export type StoreKind = 'memory' | 'pglite' | 'postgres'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` until it holds; fails naming `what` after `ms`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`)
    await sleep(5)
  }
}

interface Deferred {
  readonly promise: Promise<void>
  resolve(): void
}

function deferred(): Deferred {
  let resolve = () => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/**
 * A real store seen from the receiver's side: every call goes to `inner`; `append` can be held,
 * delayed or failed, claims can be failed, and what happened is logged in order. Once `closed`,
 * every call rejects at once, so a receiver's sweep timer left behind by a finished test costs
 * nothing.
 */
export interface Observed {
  readonly store: EventStore
  /** Appends entered (before any hold). */
  entered: number
  /** What each append that reached the store did. */
  readonly appends: { key: string; inserted: boolean }[]
  /** Keys the store holds, added the moment an append resolved. */
  readonly storedKeys: Set<string>
  /** `stored <key>` when an append resolved; tests add their own entries. */
  readonly log: string[]
  /** `claimFinished` calls (each sweep or export attempt makes one). */
  claims: number
  /** The owner of each `claimFinished` call. */
  readonly claimOwners: string[]
  hold: Promise<void> | null
  delayAppendMs: number
  failAppend: Error | null
  failClaims: Error | null
  closed: boolean
}

function observe(inner: EventStore): Observed {
  const closedError = () => Promise.reject(new Error('observed store closed: the test is over'))
  const o: Observed = {
    entered: 0,
    appends: [],
    storedKeys: new Set(),
    log: [],
    claims: 0,
    claimOwners: [],
    hold: null,
    delayAppendMs: 0,
    failAppend: null,
    failClaims: null,
    closed: false,
    store: {
      migrate: () => (o.closed ? closedError() : inner.migrate()),
      async append(event: NewStoredEvent) {
        if (o.closed) return closedError()
        o.entered += 1
        if (o.hold !== null) await o.hold
        if (o.delayAppendMs > 0) await sleep(o.delayAppendMs)
        if (o.failAppend !== null) throw o.failAppend
        const outcome = await inner.append(event)
        o.appends.push({ key: event.key, inserted: outcome.inserted })
        o.storedKeys.add(event.key)
        o.log.push(`stored ${event.key}`)
        return outcome
      },
      events: (id) => (o.closed ? closedError() : inner.events(id)),
      claimFinished: (options) => {
        if (o.closed) return closedError()
        o.claims += 1
        o.claimOwners.push(options.owner)
        if (o.failClaims !== null) return Promise.reject(o.failClaims)
        return inner.claimFinished(options)
      },
      renew: (claim, leaseMs) => (o.closed ? closedError() : inner.renew(claim, leaseMs)),
      markExported: (claim, exported) => (o.closed ? closedError() : inner.markExported(claim, exported)),
      release: (claim, error, retryAfterMs, options) =>
        o.closed ? closedError() : inner.release(claim, error, retryAfterMs, options),
      markFailed: (claim, error) => (o.closed ? closedError() : inner.markFailed(claim, error)),
      retryFailed: (options) => (o.closed ? closedError() : inner.retryFailed(options)),
      conversations: (options) => (o.closed ? closedError() : inner.conversations(options)),
      conversation: (id) => (o.closed ? closedError() : inner.conversation(id)),
      poisoned: (limit) => (o.closed ? closedError() : inner.poisoned(limit)),
      close: () => inner.close(),
    },
  }
  return o
}

/** Every callback the receiver made, in order. */
function recorder(log: string[]) {
  const r = {
    events: [] as WebhookEvent[],
    invalid: [] as { failure: DecodeFailure; rawBody: Uint8Array }[],
    errors: [] as { error: unknown; rawBody: Uint8Array }[],
    /** Every onConversationFinished call, failed ones included. */
    finished: [] as {
      conversation: AssembledConversation
      context: FinishedContext
      at: number
      ok: boolean
    }[],
    exportErrors: [] as { error: unknown; conversationId: string | null }[],
    /** The next onConversationFinished calls throw these, first first. */
    throwNext: [] as Error[],
    /** While set, onConversationFinished waits for it. */
    hangFinished: null as Promise<void> | null,
    get exported() {
      return r.finished.filter((f) => f.ok)
    },
    callbacks: {
      onEvent(event: WebhookEvent) {
        log.push(`onEvent ${webhookEventKey(event)}`)
        r.events.push(event)
      },
      onInvalid(failure: DecodeFailure, rawBody: Uint8Array) {
        r.invalid.push({ failure, rawBody: Uint8Array.from(rawBody) })
        return undefined
      },
      onError(error: unknown, context: ReceiveContext<unknown>) {
        r.errors.push({ error, rawBody: Uint8Array.from(context.rawBody) })
      },
      async onConversationFinished(conversation: AssembledConversation, context: FinishedContext) {
        if (r.hangFinished !== null) await r.hangFinished
        const failure = r.throwNext.shift()
        r.finished.push({ conversation, context, at: Date.now(), ok: failure === undefined })
        if (failure !== undefined) throw failure
      },
      onExportError(error: unknown, conversationId: string | null) {
        r.exportErrors.push({ error, conversationId })
      },
    },
  }
  return r
}

const ALICE = { id: '7', name: 'Alice Nováková' }

/** A whole conversation, one body per event, pretty-printed so only the exact bytes are the signed ones. */
function conversationBodies(id: string, { closed = true, ratedAfterClose = false } = {}): string[] {
  let b = webhookConversation({ id, startAt: Date.UTC(2026, 2, 1, 9, 0) })
    .opened()
    .contactReplied('Dobrý den, kde je moje objednávka? ☕')
    .agentJoined(ALICE)
    .agentReplied(ALICE, 'Odešla včera, zítra ji máte.')
    .contactReplied('Děkuji!')
  if (closed) b = b.closed({ by: ALICE })
  if (ratedAfterClose) b = b.rated(5, 'Rychlé a milé')
  return b.build().map((event) => JSON.stringify(event, null, 2))
}

const bytesOf = (body: string) => new TextEncoder().encode(body)
const eventOf = (body: string) => parseWebhookEventOrThrow(bytesOf(body))
const keyOf = (body: string) => webhookEventKey(eventOf(body))
const expectedConversation = (bodies: readonly string[]) => assembleConversationOrThrow(bodies.map(eventOf))
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8')

/** The bodies of `events`, oldest first as the store lists them, as text. */
const storedBodies = (events: readonly StoredEvent[]) => events.map((e) => text(e.body))

/** Makes the stores of one kind; `shared` lives for the describe block. */
function storeMaker(kind: StoreKind) {
  let pglite: PGlite | null = null
  let pool: pg.Pool | null = null
  const prefixes: string[] = []
  return {
    async setUp() {
      if (kind === 'pglite') pglite = await PGlite.create()
      if (kind === 'postgres') {
        pool = new pg.Pool({ connectionString: requirePostgresUrl(), max: 4 })
        pool.on('error', () => undefined)
      }
    },
    async tearDown() {
      if (pool !== null) {
        for (const prefix of prefixes) await dropTables(pool, prefix)
        await pool.end()
      }
      await pglite?.close()
    },
    make(clock: () => Date): EventStore {
      if (kind === 'memory') return memoryEventStore({ clock })
      const tablePrefix = uniquePrefix('rc')
      prefixes.push(tablePrefix)
      if (kind === 'pglite') return pgliteEventStore({ db: pglite as PGlite, tablePrefix, clock })
      return postgresEventStore({ pool: pool as pg.Pool, tablePrefix, clock })
    },
  }
}

/**
 * The `store` option on one adapter: for each kind in `kinds`, a describe block over real HTTP.
 * `memory` runs every case; the SQL stores the store-dependent ones.
 */
export function describeStoreReceiver(
  name: string,
  start: StartStoreReceiver,
  kinds: readonly StoreKind[] = ['memory', 'pglite'],
): void {
  for (const kind of kinds) {
    const full = kind === 'memory'
    const skip = kind === 'postgres' && skipPostgres
    describe.skipIf(skip)(`${name}: store option on ${kind}, over real HTTP`, () => {
      const stores = storeMaker(kind)
      let running: Running | null = null
      let observed: Observed | null = null
      beforeAll(async () => {
        if (kind === 'postgres' && postgresUrl === undefined) requirePostgresUrl()
        await stores.setUp()
      })
      afterAll(() => stores.tearDown())
      afterEach(async () => {
        if (observed !== null) observed.closed = true
        observed = null
        await running?.close()
        running = null
      })

      /**
       * A receiver on a fresh store whose clock stands still until the test moves it; `exports`
       * passes the recorder's onConversationFinished.
       */
      const boot = async (
        extra: Partial<StoreReceiverOptions> = {},
        how: { readonly exports?: boolean; readonly clock?: TestClock } = {},
      ) => {
        const clock = how.clock ?? testClock(Date.now())
        const o = observe(stores.make(clock.now))
        observed = o
        const r = recorder(o.log)
        const { onConversationFinished, ...callbacks } = r.callbacks
        running = await start({
          secret: WEBHOOK_SECRET,
          store: o.store,
          sweepIntervalMs: null,
          ...callbacks,
          ...(how.exports === true ? { onConversationFinished } : {}),
          ...extra,
        })
        const url = `${running.origin}/hooks/smartsupp`
        /** Delivers each body, one after the other, and expects 200 for each. */
        const deliver = async (...bodies: string[]) => {
          for (const body of bodies) {
            const res = await postSigned(url, body)
            expect(res.status, `the answer to ${body.slice(0, 120)}`).toBe(200)
            await res.arrayBuffer()
          }
        }
        /** Lets the receiver's sweep timer claim `n` more times. */
        const sweeps = async (n = 3) => {
          const target = o.claims + n
          await until(() => o.claims >= target, `${n} more sweeps ran`)
        }
        return { o, r, url, clock, store: o.store, deliver, sweeps }
      }
      const attempts = (r: ReturnType<typeof recorder>) => r.finished.map((f) => [f.context.attempt, f.ok])

      it('stores each authentic event with its exact bytes before answering 200, then calls onEvent', async () => {
        const t = await boot()
        const bodies = conversationBodies('conv-bytes')
        const first = bodies[1] as string
        const hold = deferred()
        t.o.hold = hold.promise
        let answered = false
        const pending = postSigned(t.url, first).then((res) => {
          answered = true
          t.o.log.push('answered')
          return res
        })
        await until(() => t.o.entered === 1, 'the receiver called append')
        // The store has not finished: the answer must wait for it.
        await sleep(100)
        expect(answered).toBe(false)
        t.o.log.push('released')
        hold.resolve()
        expect((await pending).status).toBe(200)
        expect(t.o.log).toEqual(['released', `stored ${keyOf(first)}`, `onEvent ${keyOf(first)}`, 'answered'])
        t.o.hold = null

        // The others concurrently, each append taking a while: every 200 comes after its event is stored.
        const rest = bodies.filter((b) => b !== first)
        t.o.delayAppendMs = 20
        const answers = await Promise.all(
          rest.map(async (body) => {
            const res = await postSigned(t.url, body)
            return { status: res.status, storedAtAnswer: t.o.storedKeys.has(keyOf(body)) }
          }),
        )
        expect(answers).toEqual(rest.map(() => ({ status: 200, storedAtAnswer: true })))
        const stored = await t.store.events('conv-bytes')
        // Byte for byte the pretty-printed, non-ASCII bodies that were signed.
        expect(stored.map((e) => Buffer.from(e.body).toString('base64')).sort()).toEqual(
          bodies.map((b) => Buffer.from(b).toString('base64')).sort(),
        )
        expect(stored.map((e) => [e.key, e.poisoned, e.conversationId]).sort()).toEqual(
          bodies.map((b) => [keyOf(b), null, 'conv-bytes']).sort(),
        )
        expect(stored.filter((e) => e.closes).map((e) => e.event)).toEqual(['conversation.closed'])
        expect(t.r.events.map((e) => webhookEventKey(e)).sort()).toEqual(bodies.map(keyOf).sort())
        expect(t.r.errors).toEqual([])
      })

      it('stores a re-delivery once (append inserted: false), answers it 200 and hands it to onEvent again', async () => {
        const t = await boot()
        const body = conversationBodies('conv-again')[1] as string
        await t.deliver(body, body, body)
        expect(t.o.appends).toEqual([
          { key: keyOf(body), inserted: true },
          { key: keyOf(body), inserted: false },
          { key: keyOf(body), inserted: false },
        ])
        expect(storedBodies(await t.store.events('conv-again'))).toEqual([body])
        expect((await t.store.conversation('conv-again'))?.eventCount).toBe(1)
        expect(t.r.events).toHaveLength(3)
      })

      it.each(['{"event":', '{"event":42,"data":{}}', '[]', '{"event":"conversation.closed","data":"x"}'])(
        'keeps an authentic undecodable body (%j) as poisoned with its exact bytes, answers 200, still calls onInvalid',
        async (body) => {
          const t = await boot()
          const res = await postSigned(t.url, body)
          expect(res.status).toBe(200)
          expect(await res.json()).toEqual({ ok: true, stored: 'poisoned' })
          expect(t.r.invalid).toHaveLength(1)
          expect(text(t.r.invalid[0]?.rawBody ?? new Uint8Array())).toBe(body)
          const poisoned = await t.store.poisoned()
          expect(poisoned).toHaveLength(1)
          const kept = poisoned[0] as StoredEvent
          expect(text(kept.body)).toBe(body)
          expect(kept.key).toBe(await poisonedEventKey(bytesOf(body)))
          expect(kept.poisoned).toBe(t.r.invalid[0]?.failure.message)
          expect(kept.poisoned?.length).toBeGreaterThan(0)
          expect([kept.conversationId, kept.event, kept.closes]).toEqual([null, null, false])
          // Re-delivered: 200 again, still one copy.
          expect((await postSigned(t.url, body)).status).toBe(200)
          expect(await t.store.poisoned()).toHaveLength(1)
          expect(t.o.appends.map((a) => a.inserted)).toEqual([true, false])
          // With a wrong signature nothing proves Smartsupp sent it: 401, not kept, no callback.
          expect((await postSigned(t.url, `${body} `, { secret: 'not-the-secret' })).status).toBe(401)
          expect(t.o.entered).toBe(2)
          expect(await t.store.poisoned()).toHaveLength(1)
          expect(t.r.invalid).toHaveLength(2)
          expect(t.r.events).toEqual([])
          expect(await t.store.conversations()).toEqual([])
        },
      )

      it('calls onConversationFinished in the closing delivery (settleMs: 0) with the whole conversation; a rating after the export makes revision 2', async () => {
        const t = await boot({ settleMs: 0, owner: 'receiver-a' }, { exports: true })
        const withRating = conversationBodies('conv-closed', { ratedAfterClose: true })
        const bodies = withRating.slice(0, -1)
        const closing = bodies.at(-1) as string
        await t.deliver(...bodies.slice(0, -1))
        expect(t.r.finished).toEqual([])
        expect((await t.store.conversation('conv-closed'))?.state).toBe('open')
        await t.deliver(closing)
        // Exported before the closing delivery was answered.
        expect(attempts(t.r)).toEqual([[1, true]])
        const call = t.r.finished[0] as (typeof t.r.finished)[number]
        expect(call.conversation).toEqual(expectedConversation(bodies))
        expect(call.conversation).toMatchObject({ source: 'webhooks', id: 'conv-closed', closedBy: 'agent' })
        expect(call.conversation.messages.map((m) => m.content)).toContain(
          'Dobrý den, kde je moje objednávka? ☕',
        )
        expect(call.context).toMatchObject({
          reason: 'closed',
          revision: 1,
          attempt: 1,
          claim: { owner: 'receiver-a' },
        })
        expect(call.context.signal.aborted).toBe(false)
        expect(storedBodies(call.context.storedEvents).sort()).toEqual([...bodies].sort())
        expect(await t.store.conversation('conv-closed')).toMatchObject({
          state: 'exported',
          attempts: 1,
          revision: 1,
        })
        // Every event re-delivered: nothing new, no second call.
        await t.deliver(...bodies)
        expect(t.r.finished).toHaveLength(1)
        expect((await t.store.conversation('conv-closed'))?.state).toBe('exported')
        // A rating after the close: a new event, so the conversation is exported again, whole.
        await t.deliver(withRating.at(-1) as string)
        await until(() => t.r.finished.length === 2, 'revision 2 was exported')
        expect(t.r.finished[1]?.context).toMatchObject({ revision: 2, attempt: 1, reason: 'closed' })
        expect(t.r.finished[1]?.conversation).toEqual(expectedConversation(withRating))
        expect(t.r.finished[1]?.conversation.rating).toMatchObject({ value: 5 })
        await until(
          async () => (await t.store.conversation('conv-closed'))?.state === 'exported',
          'revision 2 was marked',
        )
        expect(await t.store.conversation('conv-closed')).toMatchObject({
          revision: 2,
          eventCount: withRating.length,
          eventsAfterExport: 0,
        })
        expect(t.r.exportErrors).toEqual([])
        expect(t.r.errors).toEqual([])
      })

      it('with settleMs > 0 exports a closed conversation not before it settled, then by the sweep timer, once', async () => {
        const t = await boot({ settleMs: 5000, sweepIntervalMs: 20 }, { exports: true })
        const bodies = conversationBodies('conv-settle')
        // The closing event first, the rest late and in reverse, as re-deliveries arrive.
        await t.deliver(bodies.at(-1) as string, ...bodies.slice(0, -1).reverse())
        await t.sweeps()
        expect(t.r.finished).toEqual([])
        expect((await t.store.conversation('conv-settle'))?.state).toBe('pending')
        t.clock.advance(4999)
        await t.sweeps()
        expect(t.r.finished).toEqual([])
        t.clock.advance(1)
        await until(() => t.r.finished.length > 0, 'the sweep exported the settled conversation')
        expect(attempts(t.r)).toEqual([[1, true]])
        expect(t.r.finished[0]?.conversation).toEqual(expectedConversation(bodies))
        expect(t.r.finished[0]?.context.reason).toBe('closed')
        await until(
          async () => (await t.store.conversation('conv-settle'))?.state === 'exported',
          'marked exported',
        )
        await t.sweeps()
        expect(t.r.finished).toHaveLength(1)
      })

      it('exports a conversation never closed once it was quiet for quietMs, by the sweep timer', async () => {
        const t = await boot({ quietMs: 60_000, settleMs: 0, sweepIntervalMs: 20 }, { exports: true })
        const bodies = conversationBodies('conv-quiet', { closed: false })
        await t.deliver(...bodies)
        await t.sweeps()
        t.clock.advance(59_999)
        await t.sweeps()
        expect(t.r.finished).toEqual([])
        expect((await t.store.conversation('conv-quiet'))?.state).toBe('open')
        t.clock.advance(1)
        await until(() => t.r.finished.length > 0, 'the sweep exported the quiet conversation')
        expect(attempts(t.r)).toEqual([[1, true]])
        const call = t.r.finished[0] as (typeof t.r.finished)[number]
        expect(call.context.reason).toBe('quiet')
        expect(call.conversation).toEqual(expectedConversation(bodies))
        expect(call.conversation.closedAt).toBeNull()
        await t.sweeps()
        expect(t.r.finished).toHaveLength(1)
      })

      it('retries a throwing onConversationFinished on a later delivery after its retry delay; every answer stays 200', async () => {
        const t = await boot({ settleMs: 0 }, { exports: true })
        const failure = new Error('CRM down')
        t.r.throwNext.push(failure)
        const bodies = conversationBodies('conv-retry')
        await t.deliver(...bodies)
        expect(attempts(t.r)).toEqual([[1, false]])
        expect(t.r.exportErrors).toEqual([{ error: failure, conversationId: 'conv-retry' }])
        expect(t.r.errors).toEqual([])
        expect(await t.store.conversation('conv-retry')).toMatchObject({
          state: 'pending',
          attempts: 1,
          lastError: 'CRM down',
        })
        // Deliveries of another conversation: before the delay (2 s after the first attempt) nothing is retried.
        const other = conversationBodies('conv-other', { closed: false })
        await t.deliver(other[0] as string)
        t.clock.advance(1999)
        await t.deliver(other[1] as string)
        expect(t.r.finished).toHaveLength(1)
        t.clock.advance(1)
        await t.deliver(other[2] as string)
        expect(attempts(t.r)).toEqual([
          [1, false],
          [2, true],
        ])
        expect(t.r.finished[1]?.conversation).toEqual(expectedConversation(bodies))
        expect(await t.store.conversation('conv-retry')).toMatchObject({ state: 'exported', attempts: 2 })
        expect(t.r.exportErrors).toHaveLength(1)
      })

      it('stores and answers 200 ids PostgreSQL cannot hold as they are (NUL, lone surrogates, 900 characters), re-deliveries once; distinct ids stay distinct, exported with their real ids', async () => {
        const t = await boot({ settleMs: 0 }, { exports: true })
        const ids = ['conv\u0000nul', 'conv-\ud800', 'conv-\ud801', 'conv-\ufffd', 'é'.repeat(900)]
        const all = ids.map((id) => conversationBodies(id))
        for (const bodies of all) await t.deliver(...bodies, ...bodies)
        expect(t.r.errors).toEqual([])
        expect(t.o.appends.filter((a) => a.inserted)).toHaveLength(all.flat().length)
        expect(t.r.exported.map((f) => f.conversation.id).sort()).toEqual([...ids].sort())
        for (const [i, id] of ids.entries()) {
          const call = t.r.exported.find((f) => f.conversation.id === id)
          expect(call?.conversation).toEqual(expectedConversation(all[i] as string[]))
          expect(storedBodies(call?.context.storedEvents ?? []).sort()).toEqual(
            [...(all[i] as string[])].sort(),
          )
          expect(await t.store.conversation(storedConversationId(id))).toMatchObject({
            state: 'exported',
            eventCount: (all[i] as string[]).length,
          })
        }
        expect(await t.store.conversations()).toHaveLength(ids.length)
        expect(t.r.exportErrors).toEqual([])
      })

      // Cases that do not depend on the store's kind: on the memory store only.
      if (!full) return

      it('answers 5xx and calls onError while the store is down; the re-delivery is then stored once', async () => {
        const t = await boot({ settleMs: 0 }, { exports: true })
        const down = new Error('connection refused: the event store is down')
        t.o.failAppend = down
        const body = conversationBodies('conv-down')[1] as string
        const res = await postSigned(t.url, body)
        expect(res.status).toBeGreaterThanOrEqual(500)
        expect(res.status).toBeLessThan(600)
        expect(t.r.errors).toHaveLength(1)
        expect(t.r.errors[0]?.error).toBe(down)
        expect(text(t.r.errors[0]?.rawBody ?? new Uint8Array())).toBe(body)
        // Nothing stored, so nothing handed on.
        expect(t.r.events).toEqual([])
        expect(await t.store.events('conv-down')).toEqual([])
        // Smartsupp re-delivers once the store is back: stored once, 200; again: still once.
        t.o.failAppend = null
        await t.deliver(body, body)
        expect(storedBodies(await t.store.events('conv-down'))).toEqual([body])
        expect(t.o.appends.map((a) => a.inserted)).toEqual([true, false])
        expect(t.r.errors).toHaveLength(1)
        // A bad signature is never stored, nor is an event of another app when appId is pinned.
        const forged = conversationBodies('conv-forged')[1] as string
        expect((await postSigned(t.url, forged, { secret: 'another-secret' })).status).toBe(401)
        expect((await postSigned(t.url, forged, { signature: 'ab'.repeat(32) })).status).toBe(401)
        expect((await postSigned(t.url, forged, { signature: null })).status).toBe(401)
        expect(t.o.entered).toBe(3)
        expect(await t.store.events('conv-forged')).toEqual([])
        expect((await t.store.conversations()).map((c) => c.conversationId)).toEqual(['conv-down'])
        expect(await t.store.poisoned()).toEqual([])
      })

      it('answers 5xx to an undecodable body while the store is down, before calling onInvalid; kept once when re-delivered', async () => {
        const t = await boot()
        const down = new Error('the event store is down')
        t.o.failAppend = down
        const body = '{"event":"conversation.opened","data":'
        const res = await postSigned(t.url, body)
        expect(res.status).toBeGreaterThanOrEqual(500)
        expect(res.status).toBeLessThan(600)
        expect(t.r.errors.map((e) => e.error)).toEqual([down])
        expect(t.r.invalid).toEqual([])
        t.o.failAppend = null
        await t.deliver(body, body)
        expect((await t.store.poisoned()).map((e) => text(e.body))).toEqual([body])
        expect(t.r.invalid).toHaveLength(2)
      })

      it('answers 503 when the store outlasts timeoutMs; the late write and the re-delivery leave one copy', async () => {
        const t = await boot({ timeoutMs: 200 })
        const hold = deferred()
        t.o.hold = hold.promise
        const body = conversationBodies('conv-timeout')[2] as string
        const res = await postSigned(t.url, body)
        expect(res.status).toBe(503)
        await until(() => t.r.errors.length === 1, 'onError was called')
        expect(t.r.errors[0]?.error).toMatchObject({ name: 'SmartsuppTimeoutError' })
        // The held write lands after the answer; Smartsupp re-delivers the 503.
        hold.resolve()
        t.o.hold = null
        await until(() => t.o.appends.length === 1, 'the late write landed')
        await t.deliver(body)
        expect(t.o.appends.map((a) => a.inserted)).toEqual([true, false])
        expect(storedBodies(await t.store.events('conv-timeout'))).toEqual([body])
      })

      it('starts its sweep when created: what is due in the store is exported with no delivery at all', async () => {
        const clock = testClock(Date.now())
        const o = observe(stores.make(clock.now))
        observed = o
        const bodies = conversationBodies('conv-waiting')
        for (const body of bodies) await o.store.append(storedEventOf(eventOf(body), bytesOf(body)))
        const r = recorder(o.log)
        running = await start({
          secret: WEBHOOK_SECRET,
          store: o.store,
          settleMs: 0,
          sweepIntervalMs: 20,
          onConversationFinished: r.callbacks.onConversationFinished,
          onExportError: r.callbacks.onExportError,
        })
        await until(() => r.exported.length === 1, 'the sweep exported the waiting conversation')
        expect(r.exported[0]?.conversation).toEqual(expectedConversation(bodies))
        expect(o.entered).toBe(bodies.length)
      })

      it('one hung onConversationFinished among 30 holds nothing: the others are exported, it is given up at exportTimeoutMs and retried after its delay', async () => {
        const calls: string[] = []
        const t = await boot({
          settleMs: 1000,
          sweepIntervalMs: 20,
          exportSweep: 0,
          exportTimeoutMs: 300,
          onConversationFinished: (conversation: AssembledConversation) => {
            calls.push(conversation.id)
            // The first claimed (ids sort first at equal times): never settles.
            if (conversation.id === 'conv-00-hung') return new Promise(() => {})
          },
        })
        const ids = [
          'conv-00-hung',
          ...Array.from({ length: 29 }, (_, i) => `conv-${String(i + 1).padStart(2, '0')}`),
        ]
        await Promise.all(ids.map((id) => t.deliver(...conversationBodies(id))))
        t.clock.advance(1000)
        await until(() => new Set(calls).size === 30, 'every conversation was handed to the callback')
        await until(() => t.r.exportErrors.length === 1, 'the hung export was given up')
        expect(t.r.exportErrors[0]).toMatchObject({
          conversationId: 'conv-00-hung',
          error: { name: 'SmartsuppExportTimeoutError', timeoutMs: 300 },
        })
        await until(
          async () => (await t.store.conversations({ state: 'exported' })).length === 29,
          'the 29 others were marked exported',
        )
        expect(await t.store.conversation('conv-00-hung')).toMatchObject({ state: 'pending', failures: 1 })
        // Retried once its delay (2 s after the first try) passed; nothing else is exported twice.
        t.clock.advance(2000)
        await until(() => calls.filter((id) => id === 'conv-00-hung').length === 2, 'the retry')
        expect(calls.filter((id) => id !== 'conv-00-hung').sort()).toEqual(ids.slice(1))
      })

      it('runs one sweep timer per store: receivers created again on the same store take the sweep over', async () => {
        const o = observe(stores.make(() => new Date()))
        observed = o
        const extra: Running[] = []
        try {
          for (let i = 0; i < 6; i++) {
            const r = recorder(o.log)
            const receiver = await start({
              secret: WEBHOOK_SECRET,
              store: o.store,
              sweepIntervalMs: 10,
              owner: `receiver-${i}`,
              onConversationFinished: r.callbacks.onConversationFinished,
              onExportError: r.callbacks.onExportError,
            })
            extra.push(receiver)
            const res = await postSigned(
              `${receiver.origin}/hooks/smartsupp`,
              conversationBodies(`conv-sweeper-${i}`)[0] as string,
            )
            expect(res.status).toBe(200)
          }
          const from = o.claimOwners.length
          await until(() => o.claimOwners.length >= from + 8, '8 more sweeps ran')
          expect(new Set(o.claimOwners.slice(from))).toEqual(new Set(['receiver-5']))
        } finally {
          for (const receiver of extra) await receiver.close()
        }
      })

      it('does not store an authentic event of another app when appId is pinned (401)', async () => {
        const t = await boot({ appId: 'ap-some-other-app' })
        const body = conversationBodies('conv-app')[1] as string
        expect((await postSigned(t.url, body)).status).toBe(401)
        expect(t.o.entered).toBe(0)
        expect(await t.store.conversations()).toEqual([])
      })

      it("does not keep an authentic undecodable body of another app as poisoned when appId is pinned (401); its own app's, or one naming no app, is kept", async () => {
        const t = await boot({ appId: 'ap40qUkYi' })
        expect((await postSigned(t.url, '{"event":42,"app_id":"ap-some-other-app"}')).status).toBe(401)
        expect(t.o.entered).toBe(0)
        expect(await t.store.poisoned()).toEqual([])
        const own = '{"event":42,"app_id":"ap40qUkYi"}'
        const unnamed = '{"event":42}'
        const notAString = '{"event":42,"app_id":7}'
        for (const body of [own, unnamed, notAString])
          expect((await postSigned(t.url, body)).status).toBe(200)
        expect((await t.store.poisoned()).map((e) => text(e.body)).sort()).toEqual(
          [own, unnamed, notAString].sort(),
        )
      })

      it('needs no onEvent with a store: it stores and answers 200', async () => {
        const o = observe(stores.make(() => new Date()))
        observed = o
        running = await start({ secret: WEBHOOK_SECRET, store: o.store })
        const body = conversationBodies('conv-bare')[0] as string
        const res = await postSigned(`${running.origin}/hooks/smartsupp`, body)
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ ok: true })
        expect(storedBodies(await o.store.events('conv-bare'))).toEqual([body])
      })

      it('settleMs on a real clock: the export comes no sooner than settleMs after the last event arrived', async () => {
        const realClock: TestClock = {
          now: () => new Date(),
          advance: () => {
            throw new Error('a real clock cannot be moved')
          },
        }
        const t = await boot({ settleMs: 300, sweepIntervalMs: 20 }, { exports: true, clock: realClock })
        const bodies = conversationBodies('conv-real')
        await t.deliver(...bodies)
        await until(() => t.r.finished.length > 0, 'the settled conversation was exported')
        const stored = await t.store.conversation('conv-real')
        expect(t.r.finished[0]?.at).toBeGreaterThanOrEqual(
          (stored?.lastReceivedAt.getTime() ?? Number.NaN) + 300,
        )
        expect(t.r.finished[0]?.conversation).toEqual(expectedConversation(bodies))
      })

      it('retries a throwing onConversationFinished by the sweep timer after its retry delay', async () => {
        const t = await boot({ settleMs: 0, sweepIntervalMs: 20 }, { exports: true })
        const failure = new TypeError('the CRM rejected the transcript')
        t.r.throwNext.push(failure)
        await t.deliver(...conversationBodies('conv-sweep-retry'))
        await until(() => t.r.finished.length === 1, 'the first attempt')
        await t.sweeps()
        t.clock.advance(1999)
        await t.sweeps()
        expect(attempts(t.r)).toEqual([[1, false]])
        t.clock.advance(1)
        await until(() => t.r.exported.length === 1, 'the sweep retried the export')
        expect(attempts(t.r)).toEqual([
          [1, false],
          [2, true],
        ])
        expect(t.r.exportErrors).toEqual([{ error: failure, conversationId: 'conv-sweep-retry' }])
        await t.sweeps()
        expect(t.r.finished).toHaveLength(2)
      })

      it('keeps answering 200 when the store fails while exporting; onExportError gets it, the next delivery exports', async () => {
        const t = await boot({ settleMs: 0 }, { exports: true })
        const bodies = conversationBodies('conv-claim-down')
        await t.deliver(...bodies.slice(0, -1))
        const down = new Error('the store went away while claiming')
        t.o.failClaims = down
        await t.deliver(bodies.at(-1) as string)
        expect(t.r.exportErrors.length).toBeGreaterThan(0)
        expect(t.r.exportErrors.every((e) => e.error === down && e.conversationId === null)).toBe(true)
        expect(t.r.finished).toEqual([])
        expect(t.r.errors).toEqual([])
        expect(await t.store.events('conv-claim-down')).toHaveLength(bodies.length)
        t.o.failClaims = null
        // Smartsupp does not re-deliver a 200; any later delivery finds the conversation due.
        await t.deliver(conversationBodies('conv-next', { closed: false })[0] as string)
        expect(attempts(t.r)).toEqual([[1, true]])
        expect(t.r.finished[0]?.conversation.id).toBe('conv-claim-down')
      })

      it('answers at exportWaitMs while onConversationFinished still runs; that export then completes', async () => {
        const t = await boot({ settleMs: 0, exportWaitMs: 100 }, { exports: true })
        const hang = deferred()
        t.r.hangFinished = hang.promise
        await t.deliver(...conversationBodies('conv-slow'))
        expect(t.r.finished).toEqual([])
        expect((await t.store.conversation('conv-slow'))?.state).toBe('claimed')
        hang.resolve()
        await until(
          async () => (await t.store.conversation('conv-slow'))?.state === 'exported',
          'the export completed',
        )
        expect(attempts(t.r)).toEqual([[1, true]])
      })

      it('a slow store and a slow export still answer 200 within timeoutMs, never 503 for a stored event', async () => {
        const t = await boot({ settleMs: 0, timeoutMs: 1000 }, { exports: true })
        const bodies = conversationBodies('conv-budget')
        await t.deliver(...bodies.slice(0, -1))
        t.r.hangFinished = new Promise(() => {})
        t.o.delayAppendMs = 600
        const res = await postSigned(t.url, bodies.at(-1) as string)
        expect(res.status).toBe(200)
        expect(t.r.errors).toEqual([])
        expect(await t.store.events('conv-budget')).toHaveLength(bodies.length)
      })

      describe('options checked when the receiver is created', () => {
        const store = memoryEventStore()
        const finished = () => {}
        it.each([
          [
            'onConversationFinished without a store',
            { onEvent: () => {}, onConversationFinished: finished },
            /onConversationFinished needs options\.store/,
          ],
          [
            'a store that is not an EventStore',
            { store: { append: 'no' } },
            /options\.store must be an EventStore/,
          ],
          ['store: null', { store: null }, /options\.store must be an EventStore/],
          [
            'an object with append but no claims',
            { store: { append: async () => ({ inserted: true }) } },
            /options\.store must be an EventStore/,
          ],
          ['a Map as the store', { store: new Map() }, /options\.store must be an EventStore/],
          ['no onEvent and no store', {}, /options\.onEvent must be a function.*options\.store/],
          [
            'store options without a store',
            { onEvent: () => {}, settleMs: 0, owner: 'a' },
            /options\.settleMs, options\.owner have no effect without options\.store/,
          ],
          [
            'onEvent not a function, with a store',
            { store, onEvent: 'log' },
            /options\.onEvent must be a function/,
          ],
          [
            'onConversationFinished not a function',
            { store, onConversationFinished: 'export' },
            /onConversationFinished must be a function/,
          ],
          ['settleMs: -1', { store, onConversationFinished: finished, settleMs: -1 }, /settleMs/],
          ['settleMs: NaN', { store, onConversationFinished: finished, settleMs: Number.NaN }, /settleMs/],
          ['settleMs: "30000"', { store, onConversationFinished: finished, settleMs: '30000' }, /settleMs/],
          [
            'sweepIntervalMs: 0',
            { store, onConversationFinished: finished, sweepIntervalMs: 0 },
            /sweepIntervalMs/,
          ],
          [
            'sweepIntervalMs: -5',
            { store, onConversationFinished: finished, sweepIntervalMs: -5 },
            /sweepIntervalMs/,
          ],
          [
            'sweepIntervalMs: Infinity',
            { store, onConversationFinished: finished, sweepIntervalMs: Number.POSITIVE_INFINITY },
            /sweepIntervalMs/,
          ],
          ['quietMs: 0', { store, onConversationFinished: finished, quietMs: 0 }, /quietMs/],
          ['leaseMs: -1', { store, onConversationFinished: finished, leaseMs: -1 }, /leaseMs/],
          [
            'exportTimeoutMs: 0',
            { store, onConversationFinished: finished, exportTimeoutMs: 0 },
            /exportTimeoutMs must be a positive number/,
          ],
          [
            'maxExportAttempts: 0',
            { store, onConversationFinished: finished, maxExportAttempts: 0 },
            /maxExportAttempts must be a positive integer/,
          ],
          [
            'exportTimeoutMs without a store',
            { onEvent: () => {}, exportTimeoutMs: 1000 },
            /options\.exportTimeoutMs has no effect without options\.store/,
          ],
          ['exportWaitMs: -1', { store, onConversationFinished: finished, exportWaitMs: -1 }, /exportWaitMs/],
          ['exportSweep: 1.5', { store, onConversationFinished: finished, exportSweep: 1.5 }, /exportSweep/],
          [
            'onExportError: "log"',
            { store, onConversationFinished: finished, onExportError: 'log' },
            /options\.onExportError must be a function/,
          ],
          [
            'owner: ""',
            { store, onConversationFinished: finished, owner: '' },
            /owner must be a non-empty string/,
          ],
        ] as const)('throws a TypeError naming the option for %s', async (_, options, message) => {
          const error = await start({
            secret: WEBHOOK_SECRET,
            ...(options as object),
          } as StoreReceiverOptions).then(
            async (started) => {
              running = started
              return null
            },
            (e: unknown) => e,
          )
          expect(error).toBeInstanceOf(TypeError)
          expect(String((error as Error).message)).toMatch(message)
        })
      })
    })
  }
}
