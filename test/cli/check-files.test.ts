import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { RAW_CONTROL, runCli } from './cli-process.js'

const example = 'examples/payloads/documented-example.json'
const dir = mkdtempSync(join(tmpdir(), 'smartsupp-hook-check-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function fifo(path: string): string {
  const r = spawnSync('mkfifo', [path])
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`)
  return path
}

describe('smartsupp-hook check: every file on its own', { timeout: 60_000 }, () => {
  it('skips a subdirectory and a named pipe named *.json in a directory, with a note each, and checks the rest', async () => {
    const folder = join(dir, 'mixed')
    mkdirSync(folder)
    mkdirSync(join(folder, 'sub.json'))
    fifo(join(folder, 'pipe.json'))
    copyFileSync(example, join(folder, 'a.json'))
    const r = await runCli(['check', folder])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      `note  ${join(folder, 'pipe.json')}: skipped, not a regular file (a named pipe)\n`,
    )
    expect(r.stderr).toContain(
      `note  ${join(folder, 'sub.json')}: skipped, not a regular file (a directory)\n`,
    )
    expect(r.stdout).toMatch(
      /^ok {4}.*a\.json: conversation 55039, 6 messages\n1 file \(lenient\): 1 valid, 0 invalid\n$/,
    )
  })

  it('a named pipe or a device given by name: unreadable (exit 2), never read, and the others still checked', async () => {
    const pipe = fifo(join(dir, 'named.pipe'))
    const r = await runCli(['check', pipe, '/dev/zero', example])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      `error cannot read ${pipe}: not a regular file (a named pipe); to read a stream, pipe it to stdin and give -\n`,
    )
    expect(r.stderr).toContain('error cannot read /dev/zero: not a regular file (a character device)')
    expect(r.stdout).toContain('ok    examples/payloads/documented-example.json')
    expect(r.stdout).toContain('3 files (lenient): 1 valid, 0 invalid, 2 unreadable\n')
  })

  it('a file over --max-bytes is unreadable, says its size and the limit, and the total is still printed', async () => {
    const big = join(dir, 'big.json')
    writeFileSync(big, `{"pad":"${'x'.repeat(5000)}"}`)
    const r = await runCli(['check', '--max-bytes', '4KiB', big, example])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `error cannot read ${big}: too large (5010 bytes), over the 4 KiB limit; raise it with --max-bytes\n`,
    )
    expect(r.stdout).toContain('2 files (lenient): 1 valid, 0 invalid, 1 unreadable\n')
  })

  it('stdin over --max-bytes is refused the same way', async () => {
    const r = await runCli(['check', '--max-bytes', '10', '-'], { stdin: '{"accountId": 208}' })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'error cannot read stdin: too large (more than that), over the 10 bytes limit; raise it with --max-bytes\n',
    )
    expect(r.stdout).toBe('1 file (lenient): 0 valid, 0 invalid, 1 unreadable\n')
  })

  it('exit 2 for a bad --max-bytes and for - given twice (stdin is read once)', async () => {
    const runs = await Promise.all([
      runCli(['check', '--max-bytes', '12 parsecs', example]),
      runCli(['check', '--max-bytes', '0', example]),
      runCli(['check', '-', '-'], { stdin: '{}' }),
    ])
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2])
    expect(runs[0]?.stderr).toContain('--max-bytes must be a whole number of bytes, KiB, MiB or GiB')
    expect(runs[2]?.stderr).toBe(
      'smartsupp-hook: check: give - (stdin) only once (see smartsupp-hook check --help)\n',
    )
    expect(runs.every((r) => r.stdout === '')).toBe(true)
  })

  it('control characters in file names and issue messages (C0 ESC and C1 CSI) are escaped', async () => {
    const name = join(dir, 'evil\u001b[2J\u009b31m.json')
    writeFileSync(name, JSON.stringify({ accountId: '\u009b31m\u001b' }))
    const r = await runCli(['check', name])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('evil\\u001b[2J\\u009b31m.json: ')
    expect(r.stdout).toContain('accountId: expected an integer, found "\\u009b31m\\u001b"')
    expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false)
  })
})
