import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exampleBody } from '../adapters/support/example-body.js'
import { runCli } from './cli-process.js'

const MIB = 1024 * 1024

/** Whether 127.0.0.1:`port` is free right now (it is listened on and closed again to find out). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

const dir = mkdtempSync(join(tmpdir(), 'smartsupp-hook-defaults-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('CLI defaults (as docs/cli.md and docs/stores.md state them)', { timeout: 60_000 }, () => {
  it('listen without --port listens on 127.0.0.1:8787', async (context) => {
    if (!(await portIsFree(8787))) context.skip('127.0.0.1:8787 is taken on this machine')
    const run = runCli(['listen', '--count', '1'])
    let ended = false
    void run.then(() => {
      ended = true
    })
    // Deliver one body as soon as the listener is up; --count 1 then stops it.
    let status: number | null = null
    while (status === null && !ended) {
      try {
        status = (await fetch('http://127.0.0.1:8787/hook', { method: 'POST', body: exampleBody })).status
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const r = await run
    expect(status, r.stderr).toBe(200)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('listening on http://127.0.0.1:8787/')
    expect(r.stdout).toContain('received conversation 55039')
  })

  it.each(['check', 'listen'])('%s --help gives the 64 MiB --max-bytes default', async (command) => {
    const r = await runCli([command, '--help'])
    // The option's own lines: up to the next line that starts another option.
    expect(r.stdout).toMatch(/--max-bytes <n>(?:(?!\n {2}-)[\s\S])*\(default 64MiB\)/)
  })

  it('check refuses a file one byte over 64 MiB by default, naming the limit and the option', async () => {
    const big = join(dir, 'big.json')
    writeFileSync(big, '')
    truncateSync(big, 64 * MIB + 1) // sparse: nothing is written, and nothing is read
    const r = await runCli(['check', big])
    expect(r.code).toBe(2)
    expect(r.stdout + r.stderr).toContain(`too large (${64 * MIB + 1} bytes), over the 64 MiB limit`)
    expect(r.stdout + r.stderr).toContain('--max-bytes')
  })

  it('send --help gives the 30 s --timeout default', async () => {
    const r = await runCli(['send', '--help'])
    expect(r.stdout).toMatch(/--timeout <seconds>(?:(?!\n {2}-)[\s\S])*\(default 30\)/)
  })
})
