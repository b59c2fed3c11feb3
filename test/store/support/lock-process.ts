// A child process for the directory lock tests: it prints `ready`, waits for a line on stdin (so
// several start their attempt together), tries to lock DIR and prints `held <pid>` or `refused
// <holder as JSON>`; a holder keeps the lock until it reads `release` (then prints `released`) or
// is killed.
import { createInterface } from 'node:readline'
import { acquireDirectoryLock } from '../../../src/store/acquire-directory-lock.js'
import { DirectoryLockedError } from '../../../src/store/directory-locked-error.js'

const input = createInterface({ input: process.stdin })
const lines = input[Symbol.asyncIterator]()
process.stdout.write('ready\n')
await lines.next()
try {
  const lock = await acquireDirectoryLock(process.env.DIR as string, { command: 'lock-process' })
  process.stdout.write(`held ${process.pid}\n`)
  for (;;) {
    const line = await lines.next()
    if (line.done === true || line.value === 'release') break
  }
  await lock.release()
  process.stdout.write('released\n')
} catch (e) {
  if (!(e instanceof DirectoryLockedError)) throw e
  process.stdout.write(`refused ${JSON.stringify(e.holder)} ${e.message}\n`)
}
input.close()
