// The CLI as one JavaScript file run by plain `node`, with no TypeScript loader registered: what
// a user runs from the installed package (dist/cli.js), for tests where that difference matters.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { CliResult } from './cli-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Bundles `src/cli/main.ts` into a file inside this repository's `node_modules/.cache` (so its
 * dependencies, left external, resolve as an installed package's would) and returns its path.
 */
export async function bundleCli(): Promise<string> {
  const dir = join(root, 'node_modules', '.cache', 'smartsupp-hook-tests')
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `cli-${process.pid}-${Date.now()}.mjs`)
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  })
  return outfile
}

/** Runs the bundled CLI with plain `node` in `cwd`, and waits for it to end. */
export function runBundledCli(cli: string, args: readonly string[], cwd: string): Promise<CliResult> {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_OPTIONS: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s
  })
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
