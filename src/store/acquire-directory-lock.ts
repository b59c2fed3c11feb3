// One owner per PGlite data directory, across processes and within one. PGlite keeps no lock of
// its own (the `postmaster.pid` it writes says `-42` and is left behind when a process is
// stopped), so two processes on one directory both answer 200 and the one that closes last
// overwrites the other's writes.
//
// The lock is a Unix-domain socket in the directory (a named pipe on Windows) that the holder
// listens on. The kernel makes binding it exclusive and closes it when the process dies, however
// it dies; so a second opener learns the truth by connecting: answered, the holder is alive (and
// says who it is); refused, the holder is dead and its socket file is stale. Replacing a stale file
// is the one step that is not atomic by itself (two openers could both find it stale), so it is
// done under a `mkdir` mutex beside it. No process ids are compared, so a reused pid cannot fool it.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, realpath, rmdir, stat, symlink, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server } from 'node:net'
import { hostname } from 'node:os'
import { basename, join } from 'node:path'
import { type DirectoryHolder, DirectoryLockedError } from './directory-locked-error.js'

/** The socket's name in the data directory. */
export const LOCK_FILE = 'smartsupp-hook.lock'
const MUTEX_DIR = `${LOCK_FILE}.takeover`
/** A takeover mutex older than this was left by a process that died in the middle of one. */
const STALE_MUTEX_MS = 10_000
/** How long a live holder has to say who it is. */
const ANSWER_MS = 2_000
/** How long acquiring may keep losing races before it gives up. */
const ACQUIRE_MS = 15_000
/** `sun_path` holds 108 bytes on Linux and 104 on macOS and the BSDs, the final NUL included. */
const MAX_SOCKET_PATH = process.platform === 'linux' ? 107 : 103

/** A held lock; `release()` gives it up (idempotent). */
export interface DirectoryLock {
  readonly holder: DirectoryHolder
  release(): Promise<void>
}

/** Options of `acquireDirectoryLock`. */
export interface DirectoryLockOptions {
  /** What this process is, as a second opener is told (default `node <script>`). */
  readonly command?: string
  /** The end of the error a second opener gets: what to do about it. */
  readonly fix?: string
}

const DEFAULT_FIX =
  'stop it first: one process may use a PGlite directory at a time (postgresEventStore shares the events between several processes)'

/**
 * Takes the lock of an existing directory for this process, or rejects with a
 * `DirectoryLockedError` naming the live process that holds it. A lock whose holder died (however:
 * stopped, killed, crashed) is taken over at once. The lock never keeps the process alive, and it
 * ends with the process.
 */
export async function acquireDirectoryLock(
  dir: string,
  options: DirectoryLockOptions = {},
): Promise<DirectoryLock> {
  const real = await realpath(dir)
  if (!(await stat(real)).isDirectory()) throw new Error(`${dir} is not a directory`)
  const holder: DirectoryHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: options.command ?? defaultCommand(),
  }
  const fix = options.fix ?? DEFAULT_FIX
  const windows = process.platform === 'win32'
  const deadline = Date.now() + ACQUIRE_MS
  for (let round = 0; ; round++) {
    if (round > 0 && Date.now() > deadline) {
      throw new Error(
        `could not lock the PGlite directory ${dir} within ${ACQUIRE_MS} ms: other processes kept taking and giving it up`,
      )
    }
    const address = windows ? pipeName(real) : await socketAddress(real)
    let server: Server | null
    try {
      server = await attempt(address.path)
    } finally {
      await address.done()
    }
    if (server !== null) return held(server, holder)
    await sleep(10 + Math.floor(Math.random() * 20))
  }

  /** One try: the server when this process now holds the lock, `null` to try again. */
  async function attempt(path: string): Promise<Server | null> {
    const listening = await tryListen(path, holder)
    if (listening !== null) return listening
    // Someone's socket is there: ask it.
    const probe = await probeHolder(path)
    if (probe.state === 'alive') throw new DirectoryLockedError(dir, probe.holder, fix)
    if (probe.state === 'gone' || windows) return null
    // Refused: the holder is dead. Replace its socket, one opener at a time.
    return underMutex(real, async () => {
      const again = await probeHolder(path)
      if (again.state === 'alive') throw new DirectoryLockedError(dir, again.holder, fix)
      if (again.state === 'dead') await unlink(join(real, LOCK_FILE)).catch(ignoreMissing)
      return tryListen(path, holder)
    })
  }
}

function held(server: Server, holder: DirectoryHolder): DirectoryLock {
  let released: Promise<void> | null = null
  return {
    holder,
    release() {
      // Node unlinks the socket file before it closes the socket (never a successor's file).
      released ??= new Promise<void>((resolve) => server.close(() => resolve()))
      return released
    },
  }
}

/** Listens on `path`: the server, or `null` when something is there already. */
function tryListen(path: string, holder: DirectoryHolder): Promise<Server | null> {
  const answer = `${JSON.stringify({ lock: 'smartsupp-hook', version: 1, ...holder })}\n`
  const server = createServer((socket) => {
    socket.on('error', () => undefined)
    socket.end(answer)
  })
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null)
      else reject(error)
    }
    server.once('error', failed)
    // exclusive: a cluster worker must bind its own socket, not share the primary's handle.
    server.listen({ path, exclusive: true }, () => {
      server.off('error', failed)
      // An accept that fails later (EMFILE) must not crash the host; the lock stays held.
      server.on('error', () => undefined)
      server.unref()
      resolve(server)
    })
  })
}

type Probe =
  | { readonly state: 'alive'; readonly holder: DirectoryHolder | null }
  | { readonly state: 'dead' }
  | { readonly state: 'gone' }

/** Connects to the lock: answered means alive (whatever it says), refused means its holder died. */
function probeHolder(path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path })
    let text = ''
    let connected = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = (probe: Probe) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(probe)
    }
    socket.setEncoding('utf8')
    socket.on('connect', () => {
      connected = true
      timer = setTimeout(() => finish({ state: 'alive', holder: null }), ANSWER_MS)
    })
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.length > 4096) finish({ state: 'alive', holder: null })
    })
    socket.on('end', () => finish({ state: 'alive', holder: parseHolder(text) }))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) finish({ state: 'alive', holder: parseHolder(text) })
      else if (error.code === 'ECONNREFUSED') finish({ state: 'dead' })
      else if (error.code === 'ENOENT') finish({ state: 'gone' })
      // A full backlog: someone listens.
      else if (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK')
        finish({ state: 'alive', holder: null })
      else {
        clearTimeout(timer)
        socket.destroy()
        reject(error)
      }
    })
  })
}

/** The holder's answer, checked field by field (any process could be listening there). */
function parseHolder(text: string): DirectoryHolder | null {
  try {
    const value = JSON.parse(text.trim()) as Record<string, unknown>
    const { pid, host, since, command } = value
    if (
      value.lock !== 'smartsupp-hook' ||
      !Number.isSafeInteger(pid) ||
      typeof host !== 'string' ||
      typeof since !== 'string' ||
      typeof command !== 'string'
    ) {
      return null
    }
    return {
      pid: pid as number,
      host: host.slice(0, 200),
      since: since.slice(0, 40),
      command: command.slice(0, 200),
    }
  } catch {
    return null
  }
}

/**
 * Runs `work` while holding a `mkdir` mutex beside the lock; `null` without running it when
 * another opener holds the mutex (the caller tries again). A mutex left by a process that died
 * within its few milliseconds is removed once it is old.
 */
async function underMutex<T>(dir: string, work: () => Promise<T | null>): Promise<T | null> {
  const mutex = join(dir, MUTEX_DIR)
  try {
    await mkdir(mutex)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    const age = await stat(mutex).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    )
    if (age > STALE_MUTEX_MS) await rmdir(mutex).catch(ignoreMissing)
    return null
  }
  try {
    return await work()
  } finally {
    await rmdir(mutex).catch(ignoreMissing)
  }
}

interface Address {
  readonly path: string
  /** Removes what was made to reach the socket (a short link for a long path). */
  done(): Promise<void>
}

/**
 * The socket's path, short enough for `sun_path`: the directory's own path when it fits, else
 * through a link with a short random name in /tmp to the directory (the socket is made in, and
 * found in, the directory itself; the link is removed once the socket is bound or reached).
 */
async function socketAddress(real: string): Promise<Address> {
  const direct = join(real, LOCK_FILE)
  if (Buffer.byteLength(direct) <= MAX_SOCKET_PATH) return { path: direct, done: async () => undefined }
  const link = join('/tmp', `smartsupp-hook-${randomBytes(8).toString('hex')}`)
  await symlink(real, link, 'dir')
  let removed: Promise<void> | null = null
  return {
    path: join(link, LOCK_FILE),
    done() {
      removed ??= unlink(link).catch(ignoreMissing)
      return removed
    },
  }
}

/** Windows: a named pipe per directory (named by a hash of its path); the system removes it with its process. */
function pipeName(real: string): Address {
  const hash = createHash('sha256').update(real.toLowerCase()).digest('hex').slice(0, 40)
  return { path: `\\\\.\\pipe\\smartsupp-hook-${hash}`, done: async () => undefined }
}

function defaultCommand(): string {
  const script = process.argv[1]
  const runtime = basename(process.argv0 || process.execPath)
  return script === undefined ? runtime : `${runtime} ${basename(script)}`
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException | null)?.code !== 'ENOENT') throw e
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
