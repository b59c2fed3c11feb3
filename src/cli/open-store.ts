import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { acquireDirectoryLock, type DirectoryLock } from '../store/acquire-directory-lock.js'
import { DirectoryLockedError } from '../store/directory-locked-error.js'
import type { EventStore } from '../store/event-store.js'
import { DEFAULT_TABLE_PREFIX, sqlTables } from '../store/sql/sql-schema.js'
import { CliError, errorMessage } from './cli-error.js'
import { usageError } from './parse-command-args.js'

/** The environment variable `--store` falls back to. */
export const STORE_ENV = 'SMARTSUPP_STORE'

/**
 * The options every command that reads the event store takes (`--store`, `--table-prefix`).
 * `--force` (from before the store lock) is still accepted, with a note that it does nothing.
 */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  'table-prefix': { type: 'string' },
  force: { type: 'boolean' },
} as const

/** An event store the CLI opened, with what it opened itself; `close` ends both. */
export interface OpenedStore {
  readonly store: EventStore
  /** Where it is, fit to print: the directory, or the URL without its password. */
  readonly where: string
  close(): Promise<void>
}

/** `--store`, `--table-prefix` and the ignored `--force`, as parsed. */
export interface StoreArgs {
  readonly store?: string | undefined
  readonly 'table-prefix'?: string | undefined
  readonly force?: boolean | undefined
}

/**
 * Opens the event store a receiver writes to: a `postgres://` or `postgresql://` URL is a
 * PostgreSQL server (through `pg`), anything else the directory of an embedded PGlite store.
 * Each driver is loaded only here, so the rest of the CLI runs without it. The store's tables
 * must exist already: a typo in the URL or `--table-prefix` is an error, not a new empty store.
 */
export async function openStore(
  command: string,
  args: StoreArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenedStore> {
  const where = args.store ?? (env[STORE_ENV] === '' ? undefined : env[STORE_ENV])
  if (where === undefined || where === '') {
    throw usageError(
      command,
      `give --store <dir|postgres://…> (or set ${STORE_ENV}): the receiver's PGlite data directory or its PostgreSQL URL`,
    )
  }
  if (args.force === true) {
    process.stderr.write(
      'smartsupp-hook: --force is no longer needed and is ignored: the store lock tells a live receiver from one that stopped or crashed\n',
    )
  }
  const prefix = args['table-prefix'] ?? DEFAULT_TABLE_PREFIX
  try {
    sqlTables(prefix)
  } catch (e) {
    throw usageError(command, `--table-prefix: ${errorMessage(e)}`)
  }
  return /^postgres(ql)?:\/\//i.test(where) ? openPostgres(where, prefix) : openPglite(command, where, prefix)
}

async function openPostgres(url: string, tablePrefix: string): Promise<OpenedStore> {
  const shown = withoutPassword(url)
  const pg = (await loadDriver('pg', () => import('pg'), 'a postgres:// store')).default
  const { postgresEventStore } = await loadDriver(
    'pg',
    () => import('../store/postgres-event-store.js'),
    'a postgres:// store',
  )
  let pool: InstanceType<typeof pg.Pool>
  try {
    pool = new pg.Pool({ connectionString: url, max: 4 })
  } catch (e) {
    throw new CliError(`cannot use the store URL ${shown}: ${errorMessage(e)}`)
  }
  // A connection the server drops while idle is reported here; the next query reconnects or fails.
  pool.on('error', () => undefined)
  const end = () => pool.end().catch(() => undefined)
  try {
    await requireTables((sql, params) => pool.query(sql, [...params]), shown, tablePrefix)
  } catch (e) {
    await end()
    throw e
  }
  const store = postgresEventStore({ pool, tablePrefix })
  return {
    store,
    where: shown,
    async close() {
      await store.close().catch(() => undefined)
      await end()
    },
  }
}

async function openPglite(command: string, dir: string, tablePrefix: string): Promise<OpenedStore> {
  let isDirectory: boolean
  try {
    isDirectory = (await stat(dir)).isDirectory()
  } catch {
    throw usageError(
      command,
      `no store at ${dir}: the directory does not exist; give the dataDir the receiver's pgliteEventStore uses, or a postgres:// URL`,
    )
  }
  if (!isDirectory)
    throw usageError(
      command,
      `--store ${dir} is not a directory (give a PGlite data directory or a postgres:// URL)`,
    )
  if (!(await exists(join(dir, 'PG_VERSION')))) {
    throw usageError(command, `${dir} is not a PGlite data directory (it has no PG_VERSION file)`)
  }
  const { PGlite } = await loadDriver(
    '@electric-sql/pglite',
    () => import('@electric-sql/pglite'),
    'a directory store',
  )
  const { pgliteEventStore } = await loadDriver(
    '@electric-sql/pglite',
    () => import('../store/pglite-event-store.js'),
    'a directory store',
  )
  // The receivers' lock: a live process holding the directory is named and refused (two PGlite
  // instances on one directory overwrite each other's writes); one that died left no lock.
  let lock: DirectoryLock
  try {
    lock = await acquireDirectoryLock(dir, {
      command: `smartsupp-hook ${command}`,
      fix: 'an embedded store serves one process at a time: stop that process first (a PostgreSQL store can be read any time)',
    })
  } catch (e) {
    throw new CliError(
      e instanceof DirectoryLockedError ? e.message : `cannot lock the store at ${dir}: ${errorMessage(e)}`,
    )
  }
  let db: InstanceType<typeof PGlite>
  try {
    db = await PGlite.create({ dataDir: dir })
  } catch (e) {
    await lock.release()
    throw new CliError(`cannot open the store at ${dir}: ${errorMessage(e)}`)
  }
  try {
    await requireTables(async (sql, params) => db.query(sql, [...params]), dir, tablePrefix)
  } catch (e) {
    await db.close().catch(() => undefined)
    await lock.release()
    throw e
  }
  const store = pgliteEventStore({ db, tablePrefix })
  return {
    store,
    where: dir,
    async close() {
      await store.close().catch(() => undefined)
      await db.close().catch(() => undefined)
      // Only once PGlite let go of the files.
      await lock.release()
    },
  }
}

type Query = (sql: string, params: readonly unknown[]) => Promise<{ rows: unknown[] }>

/** Fails unless `<prefix>events` exists (the store creates its tables on first use; the CLI must not). */
async function requireTables(query: Query, where: string, tablePrefix: string): Promise<void> {
  const t = sqlTables(tablePrefix)
  let rows: unknown[]
  try {
    rows = (await query('SELECT to_regclass($1) IS NOT NULL AS present', [t.events])).rows
  } catch (e) {
    throw new CliError(`cannot reach the store at ${where}: ${errorMessage(e)}`)
  }
  if ((rows[0] as { present?: unknown } | undefined)?.present !== true) {
    const hint =
      tablePrefix === DEFAULT_TABLE_PREFIX
        ? 'give --table-prefix if the receiver uses another tablePrefix'
        : `check --table-prefix (the default is ${DEFAULT_TABLE_PREFIX})`
    throw new CliError(
      `no event store in ${where}: there is no table ${t.events} (a receiver creates it on its first event); ${hint}`,
    )
  }
}

/**
 * Loads an optional peer dependency (or a module that imports it); when it is not installed the
 * error says so and how to install it, instead of a resolution stack. Other failures pass through.
 */
export async function loadDriver<T>(pkg: string, load: () => Promise<T>, use: string): Promise<T> {
  try {
    return await load()
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && errorMessage(e).includes(`'${pkg}'`)
    if (missing) {
      throw new CliError(
        `${use} needs the optional package ${pkg}, which is not installed: npm install ${pkg}`,
      )
    }
    throw e
  }
}

/** The URL as printed: its password replaced by `***`. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password === '') return url
    parsed.password = '***'
    return parsed.href
  } catch {
    return url.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@')
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
