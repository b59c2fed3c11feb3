/**
 * `smartsupp-hook/store/postgres`: the event store on a PostgreSQL server through node-postgres
 * (an optional peer dependency: `npm install pg`). Safe with any number of receiver processes.
 *
 * @module smartsupp-hook/store/postgres
 */
import type { Pool } from 'pg'
import pg from 'pg'
import type { EventStore } from './event-store.js'
import type { SqlClient, SqlQuery } from './sql/sql-client.js'
import { type SqlEventStoreOptions, sqlEventStore } from './sql/sql-event-store.js'

/** Options of `postgresEventStore`: a connection string, or a pool of your own. */
export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  /** e.g. `postgres://user:password@db.internal:5432/smartsupp`. Ignored when `pool` is given. */
  readonly connectionString?: string
  /** A node-postgres pool to use (it is not ended by `close()`). */
  readonly pool?: Pool
  /**
   * How long the store waits for the server to answer one statement, and (with the pool it
   * creates) for a connection (ms); an `append` gets this long from its call to its commit, its
   * wait behind other appends' batches included. Then the call rejects and its connection is dropped, so a
   * stopped, frozen or unreachable server turns deliveries into prompt 500s (Smartsupp
   * re-delivers) and never holds the export sweep. Migrations are not bounded (they may wait for
   * another process's). Default 5 000; `null`: wait as long as the driver does.
   */
  readonly queryTimeoutMs?: number | null
  /**
   * Append batches as prepared statements, parsed and planned once per connection (about half the
   * server's CPU per lone append). Default `true`. Behind a pooler that moves a client between
   * server connections (PgBouncer in transaction mode before 1.21, or without
   * `max_prepared_statements`), a prepared statement can be missing (`26000`) or already there
   * (`42P05`) on the connection a batch lands on: that batch is sent again unprepared (it was not
   * run) and the store prepares nothing from then on. `false`: never prepare.
   */
  readonly preparedStatements?: boolean
}

/** The default of `queryTimeoutMs`: a statement of this store takes milliseconds on a healthy server. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5000

/**
 * The event store on a PostgreSQL server: the same SQL as `pgliteEventStore`, safe when many
 * receiver processes on many machines share the database (unique keys with `ON CONFLICT`, claims
 * with `FOR UPDATE SKIP LOCKED`, migrations under an advisory lock).
 */
export function postgresEventStore(options: PostgresEventStoreOptions = {}): EventStore {
  return sqlEventStore(postgresClient(options), options)
}

function postgresClient(options: PostgresEventStoreOptions): SqlClient {
  const timeoutMs = options.queryTimeoutMs === undefined ? DEFAULT_QUERY_TIMEOUT_MS : options.queryTimeoutMs
  let prepared = options.preparedStatements ?? true
  if (typeof prepared !== 'boolean') {
    throw new TypeError('smartsupp-hook: postgresEventStore: preparedStatements must be true or false')
  }
  if (
    timeoutMs !== null &&
    (typeof timeoutMs !== 'number' ||
      !Number.isFinite(timeoutMs) ||
      timeoutMs <= 0 ||
      timeoutMs > 2_147_483_647)
  ) {
    throw new TypeError(
      'smartsupp-hook: postgresEventStore: queryTimeoutMs must be a positive number of milliseconds, or null',
    )
  }
  const given = options.pool
  let pool = given
  if (pool === undefined) {
    pool = new pg.Pool({
      ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
      // A server that accepts no connection (frozen, or packets dropped) fails the call, not hangs it.
      ...(timeoutMs === null ? {} : { connectionTimeoutMillis: timeoutMs }),
      // A peer that vanished without closing the connection is found out by the kernel.
      keepAlive: true,
    })
    // An idle connection the server dropped is reported here; without a listener the process
    // would crash. The next query opens a new connection (or rejects, and the receiver answers 5xx).
    pool.on('error', () => undefined)
  }
  const own = pool
  // node-postgres' own client-side timeout (`query_timeout`), per statement: when it fires, the call
  // rejects and the pool drops that connection, whatever the server is doing.
  const on = (q: pg.Pool | pg.PoolClient, bounded: boolean): SqlQuery => ({
    async query<Row>(sql: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
      const config: pg.QueryConfig & { query_timeout?: number } = { text: sql, values: [...params] }
      if (bounded && timeoutMs !== null) config.query_timeout = timeoutMs
      if (name !== undefined && prepared) {
        // A prepared statement, per connection (the prefix in the name keeps stores apart).
        try {
          return (await q.query({ ...config, name: `smartsupp_${name}` })).rows as Row[]
        } catch (error) {
          if (!lostPreparedStatement(error)) throw error
          // A pooler gave this client another server connection: the statement did not run.
          prepared = false
        }
      }
      return (await q.query(config)).rows as Row[]
    },
  })
  return {
    // The pool's size: the store writes batches of appends on at most half of it.
    connections: own.options?.max ?? 10,
    // An append is bounded as a whole, its wait behind batches in flight included.
    appendTimeoutMs: timeoutMs,
    query: (sql, params, name) => on(own, true).query(sql, params, name),
    // Only migrations run in a transaction here: they may wait for another process's, unbounded.
    async transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
      const connection = await own.connect()
      try {
        await connection.query('BEGIN')
        const result = await work(on(connection, false))
        await connection.query('COMMIT')
        connection.release()
        return result
      } catch (error) {
        // A connection that cannot even roll back is destroyed rather than reused.
        const broken = await connection.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: unknown) =>
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)),
        )
        connection.release(broken)
        throw error
      }
    },
    async close(): Promise<void> {
      if (given === undefined) await own.end()
    },
  }
}

/**
 * Whether a named statement failed because the server connection it reached does not hold it
 * (`26000`, invalid_sql_statement_name) or holds another of that name (`42P05`,
 * duplicate_prepared_statement): what a pooler that switches server connections causes. Either is
 * refused before the statement runs.
 */
function lostPreparedStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '26000' || code === '42P05'
}
