import { hostname } from 'node:os'

/** Who holds a directory lock, as the holding process answers when asked. */
export interface DirectoryHolder {
  /** Its process id (on `host`). */
  readonly pid: number
  /** `os.hostname()` of its machine. */
  readonly host: string
  /** When it took the lock (ISO 8601). */
  readonly since: string
  /** What it runs, e.g. `node server.js` or `smartsupp-hook store list` (no arguments beyond that). */
  readonly command: string
}

/**
 * A PGlite data directory is held by a live process (another one, or another store in this one):
 * one PGlite may use a directory at a time, or the two overwrite each other's writes. `holder` is
 * `null` when the holder is alive but did not say who it is (it is frozen or overloaded).
 */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError'
  /** The directory, as given. */
  readonly dataDir: string
  readonly holder: DirectoryHolder | null

  constructor(dataDir: string, holder: DirectoryHolder | null, fix: string) {
    super(`the PGlite directory ${dataDir} is in use by ${describeHolder(holder)}; ${fix}`)
    this.dataDir = dataDir
    this.holder = holder
  }
}

/** `another process (pid 123, node server.js, since …)`, or this process when it is the holder. */
export function describeHolder(holder: DirectoryHolder | null): string {
  if (holder === null) return 'another live process (it did not say which)'
  const same = holder.pid === process.pid && holder.host === hostname()
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`
  const who = same ? `this process (pid ${holder.pid}` : `another process (pid ${holder.pid}${where}`
  return `${who}, ${holder.command}, since ${holder.since})`
}
