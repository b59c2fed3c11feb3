/**
 * `smartsupp-hook/store/pglite`: the embedded event store, PostgreSQL in this process through
 * PGlite (an optional peer dependency: `npm install @electric-sql/pglite`).
 *
 * @module smartsupp-hook/store/pglite
 */
import { PGlite } from '@electric-sql/pglite'
import type { EventStore } from './event-store.js'
import type { SqlClient, SqlQuery } from './sql/sql-client.js'
import { type SqlEventStoreOptions, sqlEventStore } from './sql/sql-event-store.js'

/** Options of `pgliteEventStore`. */
export interface PgliteEventStoreOptions extends SqlEventStoreOptions {
  /**
   * The directory PGlite keeps its database in (created when missing); the events survive a
   * restart. Absent: in memory, gone when the process ends. Ignored when `db` is given.
   */
  readonly dataDir?: string
  /** A PGlite instance to use (it is not closed by `close()`). */
  readonly db?: PGlite
}

/**
 * The embedded event store: the same SQL as `postgresEventStore`, run by PGlite (PostgreSQL
 * compiled to WebAssembly) inside this process, persisted to `dataDir`. No server to run; for
 * one process. Use `postgresEventStore` when several receiver processes share the events.
 */
export function pgliteEventStore(options: PgliteEventStoreOptions = {}): EventStore {
  return sqlEventStore(pgliteClient(options), options)
}

function pgliteClient(options: PgliteEventStoreOptions): SqlClient {
  const given = options.db
  // Opened on first use, so a bad dataDir rejects a call (and the receiver answers 5xx) instead
  // of throwing from the constructor or as an unhandled rejection.
  let opened: Promise<PGlite> | null = null
  const db = (): Promise<PGlite> => {
    if (given !== undefined) return Promise.resolve(given)
    opened ??= PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir }).catch(
      (error: unknown) => {
        opened = null
        throw error
      },
    )
    return opened
  }
  const on = (q: Pick<PGlite, 'query'>): SqlQuery => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return (await q.query<Row>(sql, [...params])).rows
    },
  })
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return on(await db()).query<Row>(sql, params)
    },
    async transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
      return (await db()).transaction((tx) => work(on(tx)))
    },
    async close(): Promise<void> {
      if (given !== undefined || opened === null) return
      const pending = opened
      opened = null
      await (await pending).close()
    },
  }
}
