import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkCommand } from '../../src/cli/check-command.js'
import { terminalStyle } from '../../src/cli/terminal-style.js'

// parseConversation never throws by contract; check must survive it if it ever does, file by file.
vi.mock('../../src/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/index.js')>()
  return {
    ...real,
    parseConversation: (bytes: Uint8Array, options?: Parameters<typeof real.parseConversation>[1]) => {
      if (Buffer.from(bytes).toString('utf8').includes('"explode"'))
        throw new RangeError('Invalid string length')
      return real.parseConversation(bytes, options)
    },
  }
})

afterEach(() => vi.restoreAllMocks())

describe('check when the decoder throws', () => {
  it('fails that file with one line, checks the others and prints the total', async () => {
    let stdout = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk)
      return true
    })
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const plain = terminalStyle(false)
    const dir = mkdtempSync(join(tmpdir(), 'smartsupp-hook-explode-'))
    const bomb = join(dir, 'bomb.json')
    writeFileSync(bomb, '{"explode": true}')
    const code = await checkCommand([bomb, 'examples/payloads/documented-example.json'], plain, plain)
    expect(code).toBe(1)
    expect(stdout).toContain(`FAIL  ${bomb}: the decoder failed (please report it): Invalid string length\n`)
    expect(stdout).toContain('ok    examples/payloads/documented-example.json')
    expect(stdout).toContain('2 files (lenient): 1 valid, 1 invalid\n')
    rmSync(dir, { recursive: true, force: true })
  })
})
