import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * `mkdir -p`, one level at a time (internal): Node's `mkdir(dir, { recursive: true })` never
 * settles on some paths that cannot be created (under /proc), and a directory that cannot be made
 * must reject the call, not hang it. Resolves when `dir` exists (or something by that name does).
 */
export async function makeDirectory(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return
    const parent = dirname(dir)
    if (code !== 'ENOENT' || parent === dir || depth > 256) throw e
    await makeDirectory(parent, depth + 1)
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again
    })
  }
}
