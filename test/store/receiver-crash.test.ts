// Crash tests at the receiver (issue 12, Tests: "crash between store and answer (kill the
// process) loses nothing"): a receiver process on a PGlite data directory, or on PostgreSQL, is
// killed with SIGKILL while deliveries are in flight, or after it stored an event but before it
// answered. Every delivery answered 200 must be in the store afterwards (reopened in this
// process), and re-delivering everything (Smartsupp re-delivers whatever was not answered 200)
// must end with every event stored exactly once, byte for byte.
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { parseWebhookEventOrThrow, signWebhookBody, webhookEventKey } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { WEBHOOK_SIGNATURE_HEADER } from '../../src/receive/verify-webhook-signature.js'
import type { EventStore, StoredEvent } from '../../src/store/event-store.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../src/store/postgres-event-store.js'
import { dropTables } from './support/drop-tables.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from './support/postgres-url.js'

const SECRET = 'crash-secret-0123456789'
const CONVERSATIONS = 40
const CONCURRENCY = 50
/** The receiver is killed once this many deliveries were answered 200. */
const KILL_AFTER = 40

interface Delivery {
  readonly body: string
  readonly signature: string
  readonly key: string
  readonly conversationId: string
}

interface Message {
  readonly type: string
  readonly port?: number
  readonly key?: string
  readonly inserted?: boolean
  /** Of a `batch`: how many events one statement writes. */
  readonly size?: number
}

interface Receiver {
  readonly child: ChildProcess
  readonly port: number
  readonly messages: Message[]
  readonly exited: Promise<void>
}

type Kind = 'pglite' | 'postgres'

/** Where one test's events live: a data directory or a table prefix. */
interface Place {
  readonly env: Record<string, string>
  open(): EventStore
  cleanUp(): Promise<void>
}

function pglitePlace(): Place {
  const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-crash-'))
  return {
    env: { CRASH_STORE: 'pglite', CRASH_DATA_DIR: dataDir },
    open: () => pgliteEventStore({ dataDir }),
    cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

function postgresPlace(): Place {
  const url = requirePostgresUrl()
  const tablePrefix = uniquePrefix('crash')
  return {
    env: { CRASH_STORE: 'postgres', CRASH_TABLE_PREFIX: tablePrefix, SMARTSUPP_TEST_POSTGRES_URL: url },
    open: () => postgresEventStore({ connectionString: url, tablePrefix }),
    async cleanUp() {
      const pool = new pg.Pool({ connectionString: url, max: 1 })
      try {
        await dropTables(pool, tablePrefix)
      } finally {
        await pool.end()
      }
    },
  }
}

const started: ChildProcess[] = []

function startReceiver(place: Place, extra: Record<string, string> = {}): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL('./support/crash-receiver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...place.env, ...extra, CRASH_SECRET: SECRET },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  started.push(child)
  const messages: Message[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const early = () => reject(new Error('the receiver exited before it was ready'))
    child.once('exit', early)
    child.on('message', (m: Message) => {
      messages.push(m)
      if (m.type === 'ready') {
        child.off('exit', early)
        resolve({ child, port: m.port ?? 0, messages, exited })
      }
    })
  })
}

/** Stops a receiver cleanly (its store closed), so the data directory can be opened here. */
async function stop(receiver: Receiver): Promise<void> {
  if (receiver.child.exitCode === null && receiver.child.signalCode === null)
    receiver.child.send({ type: 'stop' })
  await receiver.exited
}

async function kill(receiver: Receiver): Promise<void> {
  receiver.child.kill('SIGKILL')
  await receiver.exited
  expect(receiver.child.signalCode).toBe('SIGKILL')
}

/** One POST; the status, or `null` when the connection failed (the process died). */
async function post(port: number, d: Delivery): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: d.signature },
      body: d.body,
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return null
  }
}

/** What Smartsupp does: POST again until the answer is 200. */
async function deliverUntil200(port: number, d: Delivery): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    if ((await post(port, d)) === 200) return
    if (Date.now() > deadline) throw new Error(`${d.key} was never answered 200`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T)
    }),
  )
}

async function deliveries(): Promise<Delivery[]> {
  const all: Delivery[] = []
  for (let n = 0; n < CONVERSATIONS; n++) {
    const conversationId = `crash-${String(n).padStart(2, '0')}`
    const events = webhookConversation({ id: conversationId, startAt: Date.UTC(2026, 4, 1, 8) + n * 60_000 })
      .opened()
      .contactReplied(`Dobrý den, objednávka ${n} ☕`)
      .agentReplied({ id: '9', name: 'Eva' }, 'Hned to zjistím')
      .contactReplied('Díky')
      .closed({ by: '9' })
      .build()
    for (const event of events) {
      const body = JSON.stringify(event, null, n % 2 === 0 ? 2 : undefined)
      const key = webhookEventKey(parseWebhookEventOrThrow(new TextEncoder().encode(body)))
      all.push({ body, signature: await signWebhookBody(body, SECRET), key, conversationId })
    }
  }
  return all
}

/** Every stored event of the conversations, by key. */
async function storedByKey(
  store: EventStore,
  conversationIds: Iterable<string>,
): Promise<Map<string, StoredEvent[]>> {
  const byKey = new Map<string, StoredEvent[]>()
  for (const id of conversationIds) {
    for (const event of await store.events(id)) byKey.set(event.key, [...(byKey.get(event.key) ?? []), event])
  }
  return byKey
}

/**
 * Delivers every event to `first` with CONCURRENCY in flight and kills it with SIGKILL once
 * `killAfter(answered)` holds after an answer (or `killOnMessage()` after one of its messages);
 * then checks that every delivery answered 200 is stored byte for byte, and that re-delivering
 * everything to a second receiver stores each event exactly once.
 */
async function killMidStreamAndCheck(
  place: Place,
  first: Receiver,
  killAfter: (answered: number) => boolean,
  killOnMessage?: () => boolean,
): Promise<void> {
  const all = await deliveries()
  const answered = new Set<Delivery>()
  let killed = false
  const kill9 = () => {
    if (killed) return
    killed = true
    first.child.kill('SIGKILL')
  }
  if (killOnMessage !== undefined) {
    first.child.on('message', () => {
      if (answered.size >= KILL_AFTER && killOnMessage()) kill9()
    })
  }
  await pool(all, CONCURRENCY, async (d) => {
    if (killed) return
    const status = await post(first.port, d)
    if (status === 200) answered.add(d)
    if (killAfter(answered.size)) kill9()
  })
  await kill(first)
  // Killed mid-stream: some were answered, others were not (in flight, or never sent).
  expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER)
  expect(answered.size).toBeLessThan(all.length)

  // Reopened here: every delivery answered 200 is there, byte for byte.
  const ids = new Set(all.map((d) => d.conversationId))
  let store = place.open()
  let stored = await storedByKey(store, ids)
  await store.close()
  for (const d of answered) {
    expect(
      stored.get(d.key)?.map((e) => Buffer.from(e.body).toString()),
      d.key,
    ).toEqual([d.body])
  }

  // Smartsupp re-delivers what was not answered 200; re-delivering everything is the harder case.
  const second = await startReceiver(place)
  await pool(all, CONCURRENCY, (d) => deliverUntil200(second.port, d))
  expect(second.messages.filter((m) => m.type === 'error')).toEqual([])
  await stop(second)
  // The second process stored exactly the events the first had not committed.
  const insertedBySecond = second.messages.filter((m) => m.type === 'appended' && m.inserted).length
  store = place.open()
  stored = await storedByKey(store, ids)
  const conversations = await store.conversations({ limit: 1000 })
  await store.close()
  expect(stored.size).toBe(all.length)
  for (const d of all) {
    expect(
      stored.get(d.key)?.map((e) => Buffer.from(e.body).toString()),
      d.key,
    ).toEqual([d.body])
  }
  expect(conversations).toHaveLength(CONVERSATIONS)
  expect(conversations.every((c) => c.eventCount === all.length / CONVERSATIONS)).toBe(true)
  expect(insertedBySecond).toBeLessThanOrEqual(all.length - answered.size)
  expect(insertedBySecond).toBeGreaterThan(0)
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

const kinds: Kind[] = ['pglite', 'postgres']
for (const kind of kinds) {
  describe.skipIf(kind === 'postgres' && skipPostgres)(
    `a receiver process on ${kind} killed with SIGKILL`,
    () => {
      let place: Place | null = null
      afterEach(async () => {
        await place?.cleanUp()
        place = null
      })

      it('loses no delivery it answered 200; re-delivering everything stores each event exactly once', async () => {
        place = kind === 'pglite' ? pglitePlace() : postgresPlace()
        const first = await startReceiver(place)
        await killMidStreamAndCheck(place, first, (answered) => answered >= KILL_AFTER)
      }, 120_000)

      it('loses nothing it answered 200 when killed while a batch of appends is being written', async () => {
        place = kind === 'pglite' ? pglitePlace() : postgresPlace()
        const first = await startReceiver(place, { CRASH_REPORT_BATCHES: '1' })
        const batches = () => first.messages.filter((m) => m.type === 'batch').map((m) => m.size ?? 0)
        // Killed the moment a batch of several events goes to the database, once some were answered.
        await killMidStreamAndCheck(
          place,
          first,
          (answered) => answered >= KILL_AFTER && (batches().at(-1) ?? 0) >= 2,
          () => first.messages.at(-1)?.type === 'batch' && (first.messages.at(-1)?.size ?? 0) >= 2,
        )
        // Group commit was at work: batches of several deliveries.
        expect(Math.max(...batches())).toBeGreaterThanOrEqual(2)
      }, 120_000)

      it('keeps an event stored by a process that died before answering, and stores its re-delivery once', async () => {
        place = kind === 'pglite' ? pglitePlace() : postgresPlace()
        const d = (await deliveries())[7] as Delivery
        const hanging = await startReceiver(place, { CRASH_HANG_AFTER_APPEND: '1' })
        const pending = post(hanging.port, d)
        const deadline = Date.now() + 30_000
        while (!hanging.messages.some((m) => m.type === 'appended')) {
          if (Date.now() > deadline) throw new Error('the receiver never stored the event')
          await new Promise((r) => setTimeout(r, 10))
        }
        await kill(hanging)
        // Never answered: the connection died with the process.
        expect(await pending).toBeNull()
        expect(hanging.messages.filter((m) => m.type === 'appended')).toEqual([
          { type: 'appended', key: d.key, inserted: true },
        ])

        const again = await startReceiver(place)
        await deliverUntil200(again.port, d)
        await stop(again)
        expect(again.messages.filter((m) => m.type === 'appended')).toEqual([
          { type: 'appended', key: d.key, inserted: false },
        ])
        const store = place.open()
        const events = await store.events(d.conversationId)
        const conversation = await store.conversation(d.conversationId)
        await store.close()
        expect(events.map((e) => [e.key, Buffer.from(e.body).toString()])).toEqual([[d.key, d.body]])
        expect(conversation?.eventCount).toBe(1)
      }, 60_000)
    },
  )
}
