/**
 * `smartsupp-hook/store/pglite`: the embedded event store, PostgreSQL in this process through
 * PGlite (an optional peer dependency: `npm install @electric-sql/pglite`).
 *
 * @module smartsupp-hook/store/pglite
 */
import { Buffer } from 'node:buffer'
import { PGlite } from '@electric-sql/pglite'
import { acquireDirectoryLock, type DirectoryLock } from './acquire-directory-lock.js'
import { DirectoryLockedError } from './directory-locked-error.js'
import type { EventStore } from './event-store.js'
import { makeDirectory } from './make-directory.js'
import { hasPGliteProtocol, pglitePreparedQuery } from './pglite-prepared-query.js'
import type { SqlClient, SqlQuery } from './sql/sql-client.js'
import { type SqlEventStoreOptions, sqlEventStore } from './sql/sql-event-store.js'

export { type DirectoryHolder, DirectoryLockedError } from './directory-locked-error.js'

/** Options of `pgliteEventStore`. */
export interface PgliteEventStoreOptions extends SqlEventStoreOptions {
  /**
   * The directory PGlite keeps its database in (created when missing); the events survive a
   * restart. One process at a time: the store locks the directory while it is open, and a
   * second opener's calls reject with a `DirectoryLockedError` naming the holder. A holder that
   * died, however it died, leaves no lock behind. Absent: in memory, gone when the process ends.
   * Ignored when `db` is given.
   */
  readonly dataDir?: string
  /**
   * A PGlite instance to use (it is not closed by `close()`). Its directory is not locked by the
   * store: whoever opens it owns that (prefer `dataDir` and `store.pglite()`).
   */
  readonly db?: PGlite
}

/** The embedded store: an `EventStore`, and the PGlite it runs on for tables of your own. */
export interface PgliteEventStore extends EventStore {
  /**
   * The PGlite instance the store uses, opening it (and locking `dataDir`) when not yet open: for
   * tables of your own beside the events, in the same directory. Closed by `close()` when the
   * store opened it.
   */
  pglite(): Promise<PGlite>
}

/**
 * The embedded event store: the same SQL as `postgresEventStore`, run by PGlite (PostgreSQL
 * compiled to WebAssembly) inside this process, persisted to `dataDir`. No server to run; for
 * one process. Use `postgresEventStore` when several receiver processes share the events.
 */
export function pgliteEventStore(options: PgliteEventStoreOptions = {}): PgliteEventStore {
  const client = pgliteClient(options)
  return { ...sqlEventStore(client, options), pglite: client.db }
}

/** PostgreSQL's type id of bytea. */
const BYTEA_OID = 17

/**
 * Bodies as bytea, in and out, through Node's native hex codec: PGlite's own goes byte by byte in
 * JavaScript, which cost more than the rest of writing a 1 KB event.
 */
const BYTEA = {
  serializers: {
    [BYTEA_OID]: (value: unknown): string => {
      if (!(value instanceof Uint8Array)) throw new TypeError('bytea: expected a Uint8Array')
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
    },
  },
  parsers: {
    [BYTEA_OID]: (text: string): Uint8Array => new Uint8Array(Buffer.from(text.slice(2), 'hex')),
  },
}

/** A directory PGlite opens from the file system (not `memory://`, `idb://` and the like). */
function directoryOf(dataDir: string | undefined): string | null {
  if (dataDir === undefined || dataDir === '') return null
  if (dataDir.startsWith('file://')) return dataDir.slice('file://'.length)
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir) ? null : dataDir
}

interface Opened {
  readonly db: PGlite
  readonly lock: DirectoryLock | null
}

function pgliteClient(options: PgliteEventStoreOptions): SqlClient & { db(): Promise<PGlite> } {
  const given = options.db
  const dir = directoryOf(options.dataDir)
  // Opened on first use, so a bad dataDir or a held lock rejects a call (and the receiver answers
  // 5xx, Smartsupp re-delivers) instead of throwing from the constructor or as an unhandled
  // rejection; the next call tries again, so a standby process takes over once the holder stops.
  let opened: Promise<Opened> | null = null
  let closed = false
  const open = async (): Promise<Opened> => {
    let lock: DirectoryLock | null = null
    if (dir !== null) {
      await makeDirectory(dir)
      lock = await acquireDirectoryLock(dir).catch((e: unknown) => {
        if (e instanceof DirectoryLockedError) throw e
        throw new Error(`cannot lock the PGlite directory ${dir}: ${(e as Error)?.message ?? String(e)}`, {
          cause: e,
        })
      })
    }
    try {
      const db = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir })
      return { db, lock }
    } catch (e) {
      await lock?.release()
      throw e
    }
  }
  const db = async (): Promise<PGlite> => {
    if (given !== undefined) return given
    if (closed) throw new Error('the PGlite event store was closed')
    opened ??= open().catch((error: unknown) => {
      opened = null
      throw error
    })
    return (await opened).db
  }
  const on = (q: Pick<PGlite, 'query'>): SqlQuery => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return (await q.query<Row>(sql, [...params], BYTEA)).rows
    },
  })
  return {
    db,
    // One connection: the store writes one batch of appends at a time.
    connections: 1,
    async query<Row>(sql: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
      const it = await db()
      // A named statement (a batch of appends) is prepared once: parsed and planned once, not per call.
      if (name !== undefined && it.ready && hasPGliteProtocol(it))
        return pglitePreparedQuery<Row>(it, name, sql, params)
      return on(it).query<Row>(sql, params)
    },
    async transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
      return (await db()).transaction((tx) => work(on(tx)))
    },
    async close(): Promise<void> {
      closed = true
      if (given !== undefined || opened === null) return
      const pending = opened
      opened = null
      const it = await pending.catch(() => null)
      if (it === null) return
      // The lock is given up only once PGlite has written everything and let go of the files.
      try {
        await it.db.close()
      } finally {
        await it.lock?.release()
      }
    },
  }
}
