import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildInspectPage } from '../../../scripts/build-inspect-page.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))

let built: Promise<Record<string, number>> | null = null

/** Builds the page into dist/inspect-page/ once per test file, as `npm run build` does; its sizes in bytes. */
export function pageBuilt(): Promise<Record<string, number>> {
  built ??= buildInspectPage()
  return built
}

/** A running `smartsupp-hook inspect`. */
export interface RunningInspect {
  /** `http://127.0.0.1:<port>` */
  readonly base: string
  /** The page's address as printed (with `?token=` when there is one). */
  readonly pageUrl: string
  readonly output: () => string
  readonly errors: () => string
  /** Stops it with SIGTERM and resolves with its exit code. */
  readonly stop: () => Promise<number | null>
  readonly child: ChildProcess
}

/** Starts `smartsupp-hook inspect --port 0 <args>` from the sources and resolves once it prints its address. */
export async function startInspect(args: readonly string[]): Promise<RunningInspect> {
  await pageBuilt()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'inspect', '--port', '0', ...args],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s
      const m = /inspect: open (http:\/\/127\.0\.0\.1:(\d+))(\/\S*)/.exec(stdout)
      if (m !== null && stdout.includes('  kept ')) {
        resolve({
          base: m[1] as string,
          pageUrl: `${m[1]}${m[3]}`,
          output: () => stdout,
          errors: () => stderr,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
            return closed
          },
          child,
        })
      }
    })
    void closed.then((code) =>
      reject(new Error(`inspect ended (${code}) before listening: ${stderr}${stdout}`)),
    )
  })
}

/** Runs `smartsupp-hook inspect <args>` to its end (for usage errors). */
export async function runInspect(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'inspect', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
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
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

/** Polls `check` until it returns a value other than `undefined` (or `timeoutMs` passes: then it throws). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error('eventually: the condition did not hold in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}
