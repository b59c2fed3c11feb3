import type { Stats } from 'node:fs'
import { open, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { formatBytes } from './byte-size.js'
import { CliError, errorMessage } from './cli-error.js'

/** A body to decode or send: where it came from (a path or `stdin`) and its exact bytes. */
export interface Input {
  readonly name: string
  readonly bytes: Buffer
}

/** How much `readInput` reads at most (bytes), and the option that raises it (null: none). */
export interface InputLimit {
  readonly maxBytes: number
  readonly option: string | null
}

/** The files an argument stands for, and the directory entries named `*.json` that are not regular files. */
export interface ExpandedPath {
  readonly files: readonly string[]
  readonly skipped: readonly { readonly path: string; readonly kind: string }[]
}

/**
 * Reads one regular file, or standard input for `-`, at most `limit.maxBytes`. A file that cannot
 * be read, is not a regular file (a directory, a named pipe, a device) or is larger than the limit
 * is a CliError (exit 2) that says which; nothing is read past the limit.
 */
export async function readInput(path: string, limit: InputLimit): Promise<Input> {
  if (path === '-') return { name: 'stdin', bytes: await readStdin(limit) }
  let info: Stats
  try {
    info = await stat(path)
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${ioReason(e)}`)
  }
  // Checked before opening: opening a named pipe with no writer would wait forever.
  if (!info.isFile()) {
    const hint = info.isDirectory() ? '' : '; to read a stream, pipe it to stdin and give -'
    throw new CliError(`cannot read ${path}: not a regular file (${fileKind(info)})${hint}`)
  }
  if (info.size > limit.maxBytes) throw tooLarge(path, `${info.size} bytes`, limit)
  let bytes: Buffer | null
  try {
    bytes = await readAtMost(path, limit.maxBytes, info.size)
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${ioReason(e)}`)
  }
  if (bytes === null) throw tooLarge(path, 'it grew while being read', limit)
  return { name: path, bytes }
}

/** Reads standard input, at most `limit.maxBytes` (a CliError past it, and stdin is not read further). */
export async function readStdin(limit: InputLimit): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length
    if (size > limit.maxBytes) throw tooLarge('stdin', 'more than that', limit)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks, size)
}

/**
 * The files an argument stands for: the file itself, or a directory's `*.json` regular files (not
 * recursive, sorted); entries named `*.json` that are not regular files are listed in `skipped`.
 */
export async function expandPath(path: string): Promise<ExpandedPath> {
  if (path === '-') return { files: [path], skipped: [] }
  try {
    if (!(await stat(path)).isDirectory()) return { files: [path], skipped: [] }
    const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort()
    const files: string[] = []
    const skipped: { path: string; kind: string }[] = []
    for (const name of names) {
      const file = join(path, name)
      const info = await stat(file).catch(() => null)
      if (info === null || info.isFile())
        files.push(file) // a vanished or broken entry: readInput says why
      else skipped.push({ path: file, kind: fileKind(info) })
    }
    return { files, skipped }
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${ioReason(e)}`)
  }
}

/** The file's bytes, or null when it holds more than `maxBytes` (reading stops there). */
async function readAtMost(path: string, maxBytes: number, sizeHint: number): Promise<Buffer | null> {
  const handle = await open(path, 'r')
  try {
    const chunks: Buffer[] = []
    let size = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - size, Math.max(sizeHint + 1, 64 * 1024)))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) return Buffer.concat(chunks, size)
      size += bytesRead
      if (size > maxBytes) return null
      chunks.push(chunk.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
}

function tooLarge(name: string, size: string, limit: InputLimit): CliError {
  const raise = limit.option === null ? '' : `; raise it with ${limit.option}`
  return new CliError(
    `cannot read ${name}: too large (${size}), over the ${formatBytes(limit.maxBytes)} limit${raise}`,
  )
}

function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory'
  if (info.isFIFO()) return 'a named pipe'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isSocket()) return 'a socket'
  return 'not a file'
}

function ioReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return errorMessage(e)
}
