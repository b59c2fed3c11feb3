import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-process.js'

const dir = mkdtempSync(join(tmpdir(), 'smartsupp-hook-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, body: string) => {
  const path = join(dir, name)
  writeFileSync(path, body)
  return path
}

describe('smartsupp-hook check', { timeout: 60_000 }, () => {
  it('a valid payload: ok with its id, exit 0', async () => {
    const r = await runCli(['check', 'examples/payloads/documented-example.json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      'ok    examples/payloads/documented-example.json: conversation 55039, 6 messages\n1 file (lenient): 1 valid, 0 invalid\n',
    )
  })

  it('a directory: every .json file, issues with their paths, warnings, a total; exit 1 when one is invalid', async () => {
    const r = await runCli(['check', 'examples/payloads'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('FAIL  examples/payloads/broken-essential-fields.json: 2 issues')
    expect(r.stdout).toContain('error   accountId: expected an integer, found "208" (a string)')
    expect(r.stdout).toMatch(/warning channel\.tags: /)
    expect(r.stdout).toMatch(/warning visitor\.variables\.User_ID: undocumented newer form/)
    expect(r.stdout).toContain('7 files (lenient): 6 valid, 1 invalid\n')
  })

  it('--strict fails on unknown fields and the pre-2018 form', async () => {
    const r = await runCli([
      'check',
      '--strict',
      'examples/payloads/future-fields.json',
      'examples/payloads/legacy-pre-2018.json',
      'examples/payloads/offline-message.json',
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('FAIL  examples/payloads/future-fields.json')
    expect(r.stdout).toContain('error   channel.tags')
    expect(r.stdout).toContain('3 files (strict): 1 valid, 2 invalid')
  })

  it('reads stdin for -, and reports a body that is not JSON', async () => {
    const r = await runCli(['check', '-'], { stdin: '{"accountId": ' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL {2}stdin: 1 issue\n {8}error {3}\(root\): expected a JSON document/)
    expect(r.stdout.trim().split('\n')).toHaveLength(3)
    expect(r.stdout).toMatch(/\n1 file \(lenient\): 0 valid, 1 invalid\n$/)
  })

  it('exit 2 for a file that cannot be read, even beside valid ones, with one line for it', async () => {
    const valid = file('valid.json', '{}')
    const r = await runCli([
      'check',
      'examples/payloads/documented-example.json',
      join(dir, 'nope.json'),
      valid,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error cannot read ${join(dir, 'nope.json')}: no such file or directory\n`)
    expect(r.stdout).toContain('3 files (lenient): 1 valid, 1 invalid, 1 unreadable')
  })

  it('exit 2 without files, or with a directory holding no .json file', async () => {
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    const [none, nothing] = await Promise.all([runCli(['check']), runCli(['check', empty])])
    expect(none.code).toBe(2)
    expect(none.stderr).toBe(
      'smartsupp-hook: check: give at least one file, directory or - for stdin (see smartsupp-hook check --help)\n',
    )
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('nothing to check')
  })
})
