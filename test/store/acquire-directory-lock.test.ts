// The PGlite directory lock with real processes: of several processes trying at once (on a fresh
// directory, and on one whose holder was killed) exactly one holds it and the others are told who;
// a holder killed with SIGKILL, or frozen with SIGSTOP, is told apart from a live one by asking,
// not by a file; a directory whose path is too long for a socket address works the same.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { acquireDirectoryLock, LOCK_FILE } from '../../src/store/acquire-directory-lock.js'
import { DirectoryLockedError } from '../../src/store/directory-locked-error.js'
import { type Child, startChild } from './support/child-process.js'

const root = mkdtempSync(join(tmpdir(), 'smartsupp-lock-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const children: Child[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.process.exitCode === null && c.process.signalCode === null) {
      c.process.kill('SIGCONT')
      c.process.kill('SIGKILL')
      await c.exited
    }
  }
})

let dirs = 0
function freshDir(name = `dir-${++dirs}`): string {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  return dir
}

function lockProcess(dir: string): Child {
  const child = startChild('./lock-process.ts', { DIR: dir })
  children.push(child)
  return child
}

/** Starts `n` lock processes, lets them try at the same moment, and waits until each has answered. */
async function race(dir: string, n: number): Promise<Child[]> {
  const racers = Array.from({ length: n }, () => lockProcess(dir))
  await Promise.all(racers.map((c) => c.waitFor((lines) => lines.includes('ready'))))
  for (const c of racers) c.process.stdin?.write('go\n')
  await Promise.all(
    racers.map((c) =>
      c.waitFor((lines) => lines.some((l) => l.startsWith('held') || l.startsWith('refused'))),
    ),
  )
  return racers
}

function outcome(c: Child): string {
  return c.lines.find((l) => l.startsWith('held') || l.startsWith('refused')) ?? ''
}

describe('acquireDirectoryLock across processes', { timeout: 120_000 }, () => {
  test('4 processes at once, 3 rounds, after a SIGKILL each time: exactly one holds it, the others name it', async () => {
    const dir = freshDir()
    for (let round = 0; round < 3; round++) {
      const racers = await race(dir, 4)
      const holders = racers.filter((c) => outcome(c).startsWith('held'))
      expect(holders, racers.map(outcome).join('\n')).toHaveLength(1)
      const holder = holders[0] as Child
      for (const c of racers.filter((r) => r !== holder)) {
        const line = outcome(c)
        expect(line).toMatch(/^refused \{/)
        const named = JSON.parse(line.slice('refused '.length, line.indexOf('} ') + 1)) as { pid: number }
        expect(named.pid).toBe(holder.process.pid)
        expect(line).toContain(
          `is in use by another process (pid ${holder.process.pid}, lock-process, since `,
        )
        await c.exited
      }
      // Killed, it leaves its socket file behind; the next round must take over without help.
      holder.process.kill('SIGKILL')
      await holder.exited
    }
  })

  test('a holder that released it leaves nothing behind; the next opener gets it', async () => {
    const dir = freshDir()
    const [first] = await race(dir, 1)
    expect(outcome(first as Child)).toBe(`held ${first?.process.pid}`)
    first?.process.stdin?.write('release\n')
    await first?.waitFor((lines) => lines.includes('released'))
    await first?.exited
    const lock = await acquireDirectoryLock(dir)
    expect(lock.holder.pid).toBe(process.pid)
    await lock.release()
    await expect(import('node:fs/promises').then((fs) => fs.readdir(dir))).resolves.toEqual([])
  })

  test('a frozen holder (SIGSTOP) is alive: refused, though it cannot say who it is; after SIGKILL the directory is free', async () => {
    const dir = freshDir()
    const [holder] = (await race(dir, 1)) as [Child]
    holder.process.kill('SIGSTOP')
    try {
      const refused = await acquireDirectoryLock(dir).then(
        () => null,
        (e: unknown) => e,
      )
      expect(refused).toBeInstanceOf(DirectoryLockedError)
      expect((refused as DirectoryLockedError).holder).toBeNull()
      expect((refused as DirectoryLockedError).message).toContain(
        'another live process (it did not say which)',
      )
    } finally {
      holder.process.kill('SIGKILL')
      await holder.exited
    }
    const lock = await acquireDirectoryLock(dir)
    await lock.release()
  })

  test('a path too long for a socket address (over 104 bytes) is locked and refused all the same', async () => {
    const dir = freshDir(`${'a-very-long-directory-name-'.repeat(5)}/store`)
    expect(Buffer.byteLength(join(dir, LOCK_FILE))).toBeGreaterThan(108)
    const racers = await race(dir, 3)
    expect(racers.filter((c) => outcome(c).startsWith('held'))).toHaveLength(1)
    expect(racers.filter((c) => outcome(c).startsWith('refused'))).toHaveLength(2)
  })
})

describe('acquireDirectoryLock in one process', () => {
  test('a second lock of the same directory (through another path to it) says this process holds it', async () => {
    const dir = freshDir()
    const lock = await acquireDirectoryLock(dir, { command: 'the first store' })
    try {
      const again = await acquireDirectoryLock(join(dir, '..', dir.split('/').pop() as string)).then(
        () => null,
        (e: unknown) => e,
      )
      expect(again).toBeInstanceOf(DirectoryLockedError)
      expect((again as Error).message).toContain(
        `is in use by this process (pid ${process.pid}, the first store, since `,
      )
    } finally {
      await lock.release()
    }
    await (await acquireDirectoryLock(dir)).release()
  })

  test('a directory that does not exist is an error, not a lock', async () => {
    await expect(acquireDirectoryLock(join(root, 'missing'))).rejects.toThrow(/ENOENT/)
  })
})
