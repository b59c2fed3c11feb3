// Commands with commands of their own (store list|show|poisoned): each has its own --help.
import { describe, expect, it } from 'vitest'
import { runCli } from './cli-process.js'

describe('help of commands with commands of their own', { timeout: 60_000 }, () => {
  it.each([
    ['list', /^Usage: smartsupp-hook store list /, ['--state <s>', '--limit <n>'], ['--out <dir>']],
    [
      'show',
      /^Usage: smartsupp-hook store show <conversationId> /,
      ['--json'],
      ['--state', '--limit', '--out'],
    ],
    ['poisoned', /^Usage: smartsupp-hook store poisoned /, ['--out <dir>', '--limit <n>'], ['--state']],
  ] as const)('store %s --help prints its own help, not the overview', async (sub, usage, has, hasNot) => {
    const [after, before, viaHelp, short] = await Promise.all([
      runCli(['store', sub, '--help']),
      runCli(['store', '--help', sub]),
      runCli(['help', 'store', sub]),
      runCli(['store', sub, '-h']),
    ])
    for (const r of [after, before, viaHelp, short]) {
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe(after.stdout)
    }
    expect(after.stdout).toMatch(usage)
    for (const option of has) expect(after.stdout).toContain(option)
    for (const option of hasNot) expect(after.stdout).not.toContain(option)
    expect(after.stdout).toContain('--store <where>')
  })

  it("store --help (and an unknown store command with --help) prints the overview, which points at each command's help", async () => {
    const [overview, unknown] = await Promise.all([
      runCli(['store', '--help']),
      runCli(['store', 'nope', '--help']),
    ])
    expect(overview.code).toBe(0)
    expect(overview.stdout).toMatch(/^Usage: smartsupp-hook store <list\|show\|poisoned>/)
    expect(overview.stdout).toContain('smartsupp-hook store list --help')
    expect(unknown.stdout).toBe(overview.stdout)
  })
})
