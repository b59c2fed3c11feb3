import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ANSI, runCli } from './cli-process.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

describe('smartsupp-hook', { timeout: 60_000 }, () => {
  it('--help lists every command and exits 0', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    for (const command of [
      'check',
      'show',
      'send',
      'listen',
      'schema',
      'store',
      'export',
      'replay',
      'inspect',
    ])
      expect(r.stdout).toContain(`  ${command} `)
    expect(r.stderr).toBe('')
  })

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'])
    expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`])
  })

  it('no command: the help on stderr (a usage error), nothing on stdout, exit 2', async () => {
    const r = await runCli([])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Usage: smartsupp-hook <command>')
  })

  it('help <unknown topic>, even an Object.prototype name: a one-line usage error, exit 2', async () => {
    const runs = await Promise.all([runCli(['help', 'nope']), runCli(['help', 'toString'])])
    for (const [r, topic] of [
      [runs[0], 'nope'],
      [runs[1], 'toString'],
    ] as const) {
      expect(r?.code).toBe(2)
      expect(r?.stdout).toBe('')
      expect(r?.stderr).toBe(
        `smartsupp-hook: help: no command "${topic}"; commands: check, show, send, listen, schema, store, export, replay, inspect (see smartsupp-hook --help)\n`,
      )
    }
  })

  it('the help says what NO_COLOR does, as no-color.org does: a non-empty value turns colour off', async () => {
    const r = await runCli(['--help'])
    expect(r.stdout).toContain('never when NO_COLOR is set to a non-empty value')
  })

  it.each(['check', 'show', 'send', 'listen', 'schema', 'store', 'export', 'replay', 'inspect'])(
    '%s --help prints its usage, exit 0',
    async (command) => {
      const r = await runCli([command, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`Usage: smartsupp-hook ${command}`)
    },
  )

  it('help <command> is the same as <command> --help', async () => {
    const [a, b] = await Promise.all([runCli(['help', 'send']), runCli(['send', '-h'])])
    expect(a.stdout).toContain('Usage: smartsupp-hook send')
    expect(a.stdout).toBe(b.stdout)
  })

  it('an unknown command or option: one line on stderr, no stack trace, exit 2', async () => {
    for (const args of [['frobnicate'], ['--frobnicate'], ['check', '--frobnicate', 'x.json']]) {
      const r = await runCli(args)
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(
        /^smartsupp-hook: .*(unknown command "frobnicate"|unknown option --frobnicate)/,
      )
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('writes no colour when the output is not a terminal', async () => {
    const r = await runCli(['check', 'examples/payloads'])
    expect(r.stdout).toContain('FAIL')
    expect(ANSI.test(r.stdout + r.stderr)).toBe(false)
  })
})
