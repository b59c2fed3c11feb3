import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventStore } from '../../store/event-store.js'
import { makeDirectory } from '../../store/make-directory.js'
import { memoryEventStore } from '../../store/memory-event-store.js'
import { CliError, errorMessage } from '../cli-error.js'
import { loadDriver, withoutPassword } from '../open-store.js'

/** The store `inspect` writes authentic events to, and how to close it. */
export interface InspectStore {
  readonly store: EventStore
  /** Where it is, fit to print and to show on the page. */
  readonly where: string
  /** A line to print at start when the store is not what was asked for (no PGlite installed). */
  readonly notice: string | null
  close(): Promise<void>
}

/** How `inspect` was asked to keep events: `--store`, `--table-prefix` and `--out`. */
export interface InspectStoreArgs {
  readonly store: string | null
  readonly tablePrefix: string | undefined
  readonly out: string | null
}

/**
 * Opens (and creates, unlike `store`'s and `export`'s `openStore`) the event store of `inspect`:
 * `memory`; a `postgres://` URL (through `pg`); a directory for an embedded PGlite store; or,
 * without `--store`, an embedded store in `<out>/store` or in a temporary directory removed at
 * exit. Without `--store` and without `@electric-sql/pglite` installed (a fresh `npx`), the store
 * is in memory and `notice` says how to keep it on disk.
 */
export async function openInspectStore(args: InspectStoreArgs): Promise<InspectStore> {
  const prefix = args.tablePrefix === undefined ? {} : { tablePrefix: args.tablePrefix }
  if (args.store === 'memory') return memory(null)
  if (args.store !== null && /^postgres(ql)?:\/\//i.test(args.store)) {
    const url = args.store
    const { postgresEventStore } = await loadDriver(
      'pg',
      () => import('../../store/postgres-event-store.js'),
      'a postgres:// store',
    )
    const store = postgresEventStore({ connectionString: url, ...prefix })
    await migrate(store, withoutPassword(url))
    return { store, where: withoutPassword(url), notice: null, close: () => store.close() }
  }
  if (args.store !== null) {
    return pglite(args.store, prefix, null, () =>
      loadDriver(
        '@electric-sql/pglite',
        () => import('../../store/pglite-event-store.js'),
        'a directory store',
      ),
    )
  }
  // No --store: an embedded store, when PGlite is there to run it.
  let module: typeof import('../../store/pglite-event-store.js')
  try {
    module = await import('../../store/pglite-event-store.js')
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      errorMessage(e).includes('@electric-sql/pglite')
    if (missing) {
      return memory(
        'events are kept in memory only (no @electric-sql/pglite installed): npm install @electric-sql/pglite to keep them on disk, or give --store postgres://…',
      )
    }
    throw e
  }
  if (args.out !== null) return pglite(join(args.out, 'store'), prefix, null, async () => module)
  const temporary = await mkdtemp(join(tmpdir(), 'smartsupp-inspect-store-'))
  return pglite(temporary, prefix, temporary, async () => module)
}

function memory(notice: string | null): InspectStore {
  const store = memoryEventStore()
  return { store, where: 'memory', notice, close: () => store.close() }
}

async function pglite(
  dir: string,
  prefix: { tablePrefix?: string },
  removeAtClose: string | null,
  load: () => Promise<typeof import('../../store/pglite-event-store.js')>,
): Promise<InspectStore> {
  const { pgliteEventStore } = await load()
  try {
    await makeDirectory(dir)
  } catch (e) {
    throw new CliError(`cannot create the store directory ${dir}: ${errorMessage(e)}`)
  }
  // The store locks its directory on first use: another live process holding it is named (migrate fails).
  const store = pgliteEventStore({ dataDir: dir, ...prefix })
  await migrate(store, dir)
  return {
    store,
    where: removeAtClose === null ? dir : `${dir} (temporary)`,
    notice: null,
    async close() {
      await store.close().catch(() => undefined)
      if (removeAtClose !== null) await rm(removeAtClose, { recursive: true, force: true })
    },
  }
}

async function migrate(store: EventStore, where: string): Promise<void> {
  try {
    await store.migrate()
  } catch (e) {
    await store.close().catch(() => undefined)
    throw new CliError(`cannot open the event store at ${where}: ${errorMessage(e)}`)
  }
}
