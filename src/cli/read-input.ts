import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { CliError, errorMessage } from './cli-error.js'

/** A body to decode or send: where it came from (a path or `stdin`) and its exact bytes. */
export interface Input {
  readonly name: string
  readonly bytes: Buffer
}

/** Reads all of standard input. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Reads one file, or standard input for `-`; a file that cannot be read is a CliError (exit 2). */
export async function readInput(path: string): Promise<Input> {
  if (path === '-') return { name: 'stdin', bytes: await readStdin() }
  try {
    return { name: path, bytes: await readFile(path) }
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${ioReason(e)}`)
  }
}

/** The files an argument stands for: the file itself, or a directory's `*.json` files (not recursive), sorted. */
export async function expandPath(path: string): Promise<string[]> {
  if (path === '-') return [path]
  try {
    if (!(await stat(path)).isDirectory()) return [path]
    const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort()
    return names.map((n) => join(path, n))
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${ioReason(e)}`)
  }
}

function ioReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return errorMessage(e)
}
