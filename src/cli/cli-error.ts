import { withoutMachinePaths } from './machine-paths.js'

/** Exit codes: 0 success, 1 invalid payloads or a refused request, 2 usage or I/O errors. */
export type ExitCode = 0 | 1 | 2

/** An error the CLI reports as one line on stderr, with the exit code it ends with. */
export class CliError extends Error {
  override readonly name = 'CliError'
  readonly exitCode: 1 | 2

  constructor(message: string, exitCode: 1 | 2 = 2) {
    super(message)
    this.exitCode = exitCode
  }
}

/**
 * The reason of an unknown thrown value (Node's, a driver's, a handler module's), in one line and
 * without this machine's absolute paths (`withoutMachinePaths`).
 */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  return withoutMachinePaths(text.split('\n')[0] ?? '')
}
