/** One statement at a time, with `$1`-style parameters (internal). */
export interface SqlQuery {
  /**
   * Runs one statement; resolves to its rows. With `name`, a driver that can keeps the statement
   * prepared under that name (parsed and planned once per connection): a name always comes with
   * the same text.
   */
  query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>
}

/**
 * The little the SQL event store needs from a PostgreSQL driver (internal): statements and
 * transactions. PGlite and node-postgres each get a few-line port.
 */
export interface SqlClient extends SqlQuery {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it rejects. */
  transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T>
  /** Closes what the port opened itself; a driver object the user passed in stays open. */
  close(): Promise<void>
  /**
   * How many statements the driver runs at once: 1 for PGlite (one connection), more for a pool.
   * The store writes at most about half as many batches of appends at once, leaving connections
   * for claims and exports. Default 10 (node-postgres's pool).
   */
  readonly connections?: number
  /**
   * How long an append may wait for the commit that holds it, from its call (ms): the driver's
   * bound on one statement (`queryTimeoutMs`), applied to the whole of a group-committed append,
   * its wait in the queue and for a connection included. Unset or `null`: unbounded (PGlite).
   */
  readonly appendTimeoutMs?: number | null
}
