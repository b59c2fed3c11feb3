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
}

/**
 * The event store on a PostgreSQL server: the same SQL as `pgliteEventStore`, safe when many
 * receiver processes on many machines share the database (unique keys with `ON CONFLICT`, claims
 * with `FOR UPDATE SKIP LOCKED`, migrations under an advisory lock).
 */
export function postgresEventStore(options: PostgresEventStoreOptions = {}): EventStore {
  return sqlEventStore(postgresClient(options), options)
}

function postgresClient(options: PostgresEventStoreOptions): SqlClient {
  const given = options.pool
  let pool = given
  if (pool === undefined) {
    pool = new pg.Pool(
      options.connectionString === undefined ? {} : { connectionString: options.connectionString },
    )
    // An idle connection the server dropped is reported here; without a listener the process
    // would crash. The next query opens a new connection (or rejects, and the receiver answers 5xx).
    pool.on('error', () => undefined)
  }
  const own = pool
  const on = (q: pg.Pool | pg.PoolClient): SqlQuery => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      return (await q.query(sql, [...params])).rows as Row[]
    },
  })
  return {
    query: (sql, params) => on(own).query(sql, params),
    async transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T> {
      const connection = await own.connect()
      try {
        await connection.query('BEGIN')
        const result = await work(on(connection))
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
