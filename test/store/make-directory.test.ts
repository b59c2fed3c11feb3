import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeDirectory } from '../../src/store/make-directory.js'

const dir = mkdtempSync(join(tmpdir(), 'smartsupp-make-directory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('makeDirectory', () => {
  it('creates every missing level, and accepts a directory that is there', async () => {
    const deep = join(dir, 'a', 'b', 'c')
    await makeDirectory(deep)
    expect(statSync(deep).isDirectory()).toBe(true)
    await makeDirectory(deep)
    await makeDirectory(join(dir, 'a'))
  })

  // Node's mkdir(…, { recursive: true }) never settles here: the test's timeout would end it.
  it.runIf(process.platform === 'linux')(
    'rejects a path under /proc at once, where a recursive mkdir hangs',
    async () => {
      await expect(makeDirectory('/proc/x/bodies')).rejects.toMatchObject({ code: 'ENOENT' })
    },
  )

  it('rejects a path whose parent is a file', async () => {
    const file = join(dir, 'file')
    writeFileSync(file, '')
    await expect(makeDirectory(join(file, 'sub', 'dir'))).rejects.toMatchObject({ code: 'ENOTDIR' })
  })
})
