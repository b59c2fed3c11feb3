// The store a fault scenario's receivers share: a PGlite directory, or tables of their own on a
// PostgreSQL server (the session's, or a private one the scenario stops or freezes). The test
// reads it to wait for the exports and, once the receivers stopped, to check the outcome.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { EventStore, StoredConversation } from '../../../../src/store/event-store.js'
import { pgliteEventStore } from '../../../../src/store/pglite-event-store.js'
import { postgresEventStore } from '../../../../src/store/postgres-event-store.js'
import { dropTables } from '../../support/drop-tables.js'
import { uniquePrefix } from '../../support/postgres-url.js'
import type { FaultLoad } from './fault-conversations.js'
import type { Fleet } from './fleet.js'
import type { FleetStore } from './fleet-config.js'
import { until } from './until.js'

export type StoreKind = 'pglite' | 'postgres'

export interface FaultTarget {
  readonly kind: StoreKind
  readonly store: FleetStore
  /** Waits until every conversation of `load` (but `except`) is exported, read by the test (PostgreSQL) or a live receiver (PGlite). */
  exported(
    fleet: Fleet,
    load: FaultLoad,
    options?: { readonly except?: ReadonlySet<string>; readonly ms?: number },
  ): Promise<void>
  /** The store, opened in the test process; for PGlite only once no receiver holds the directory. */
  open(): EventStore
  dispose(): Promise<void>
}

/** A PGlite directory, or PostgreSQL tables at `url` (with a fresh prefix unless `tablePrefix`). */
export function faultTarget(
  kind: StoreKind,
  tag: string,
  postgres: { readonly url: string; readonly tablePrefix?: string } | null = null,
): FaultTarget {
  let store: FleetStore
  let root: string | null = null
  if (kind === 'pglite') {
    root = mkdtempSync(join(tmpdir(), `smartsupp-faults-${tag}-`))
    store = { kind, dataDir: join(root, 'events') }
  } else {
    if (postgres === null) throw new Error('a PostgreSQL target needs a url')
    store = {
      kind,
      url: postgres.url,
      tablePrefix: postgres.tablePrefix ?? uniquePrefix(tag.replace(/[^a-z0-9]/g, '')),
    }
  }
  const opened: EventStore[] = []
  const open = (): EventStore => {
    const s =
      store.kind === 'pglite'
        ? pgliteEventStore({ dataDir: store.dataDir })
        : postgresEventStore({ connectionString: store.url, tablePrefix: store.tablePrefix })
    opened.push(s)
    return s
  }
  let reader: EventStore | null = null
  const listed = async (fleet: Fleet): Promise<readonly StoredConversation[]> => {
    if (store.kind === 'postgres') {
      reader ??= open()
      return reader.conversations({ limit: 100_000 })
    }
    // Whichever live receiver holds the directory now (one that was locked out may have taken over).
    for (const r of fleet.receivers.filter((r) => r.alive())) {
      try {
        return await r.state()
      } catch {
        // locked out, or stopping: the next
      }
    }
    throw new Error('no live receiver holds the directory')
  }
  return {
    kind,
    store,
    open,
    async exported(fleet, load, options = {}) {
      const wanted = load.conversations
        .filter((c) => options.except?.has(c.id) !== true)
        .map((c) => c.storedId)
      let last: readonly StoredConversation[] = []
      await until(
        async () => {
          last = await listed(fleet)
          const byId = new Map(last.map((c) => [c.conversationId, c]))
          return wanted.every((id) => byId.get(id)?.state === 'exported')
        },
        () =>
          `every conversation was exported; not yet: ${JSON.stringify(
            last
              .filter((c) => c.state !== 'exported')
              .map((c) => [c.conversationId, c.state, c.attempts, c.lastError]),
          )}`,
        options.ms,
      )
    },
    async dispose() {
      for (const s of opened.splice(0)) await s.close().catch(() => undefined)
      if (store.kind === 'postgres' && postgres?.tablePrefix === undefined) {
        const admin = new pg.Pool({ connectionString: store.url, max: 1 })
        await dropTables(admin, store.tablePrefix).catch(() => undefined)
        await admin.end()
      }
      if (root !== null) rmSync(root, { recursive: true, force: true })
    },
  }
}
