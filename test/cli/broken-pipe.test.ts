import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('a reader that goes away (check … | head -1)', { timeout: 60_000 }, () => {
  it('ends quietly: no EPIPE stack trace, exit 0', async () => {
    // Enough output to outlast the pipe buffer once the reader is gone.
    const args = Array.from({ length: 3000 }, () => 'examples/payloads/broken-essential-fields.json')
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})
