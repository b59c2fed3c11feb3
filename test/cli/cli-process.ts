import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** What a finished CLI run left behind. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function start(args: readonly string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Runs `smartsupp-hook <args>` as a child process, as a user would, and waits for it to end. */
export function runCli(
  args: readonly string[],
  options: { stdin?: string | Buffer; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  const child = start(args, options.env ?? {})
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s
  })
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  child.stdin?.end(options.stdin ?? '')
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A running `listen`: its port, its output so far, and its end. */
export interface Listener {
  readonly port: number
  readonly output: () => string
  readonly done: Promise<CliResult>
  /** Sends SIGTERM, as a service manager stops it. */
  readonly stop: () => void
  /** Sends a signal, e.g. SIGINT as Ctrl+C does. */
  readonly signal: (signal: NodeJS.Signals) => void
}

/** Starts `smartsupp-hook listen --port 0 <args>` and resolves once it prints the port it got. */
export function startListener(args: readonly string[]): Promise<Listener> {
  const child = start(['listen', '--port', '0', ...args], {})
  child.stdin?.end()
  let stdout = ''
  let stderr = ''
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1]
      if (port !== undefined) {
        resolve({
          port: Number(port),
          output: () => stdout,
          done,
          stop: () => child.kill('SIGTERM'),
          signal: (signal) => child.kill(signal),
        })
      }
    })
    void done.then((r) => reject(new Error(`listen ended before listening: ${r.stderr}`)))
  })
}

/** Any ANSI escape sequence. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting escape sequences is the point
export const ANSI = /\u001b\[/

/** A raw ESC (C0, U+001B) or CSI (C1, U+009B): neither may reach the terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
export const RAW_CONTROL = /[\u001b\u009b]/
