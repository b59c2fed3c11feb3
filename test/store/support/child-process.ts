import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** A TypeScript child process (run with `node --import tsx`) whose stdout the test reads line by line. */
export interface Child {
  readonly process: ChildProcess
  /** Every stdout line so far. */
  readonly lines: string[]
  /** Resolves once a line satisfies `predicate` (rejects if the child exits first). */
  waitFor(predicate: (lines: readonly string[]) => boolean): Promise<void>
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

export function startChild(script: string, env: Record<string, string>): Child {
  const file = fileURLToPath(new URL(script, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let partial = ''
  const waiters: Array<() => void> = []
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
    for (const w of waiters.splice(0)) w()
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on('exit', (code, signal) => {
        for (const w of waiters.splice(0)) w()
        resolve({ code, signal, stderr })
      })
    },
  )
  let done = false
  void exited.then(() => {
    done = true
  })
  return {
    process: child,
    lines,
    exited,
    waitFor(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(lines)) resolve()
          else if (done || child.exitCode !== null || child.signalCode !== null) {
            reject(
              new Error(`child ${script} exited before the awaited output:\n${stderr}\n${lines.join('\n')}`),
            )
          } else waiters.push(check)
        }
        check()
      })
    },
  }
}
