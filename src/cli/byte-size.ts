import { usageError } from './parse-command-args.js'

/** The default size limit of `check`, `show`, `send` and `listen` (`--max-bytes`): 64 MiB in bytes. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024

const UNITS = { '': 1, KiB: 1024, MiB: 1024 * 1024, GiB: 1024 * 1024 * 1024 } as const

/** A size for people: `64 MiB` or `1500 bytes` (exact: a unit only when it divides the size). */
export function formatBytes(bytes: number): string {
  if (bytes >= UNITS.GiB && bytes % UNITS.GiB === 0) return `${bytes / UNITS.GiB} GiB`
  if (bytes >= UNITS.MiB && bytes % UNITS.MiB === 0) return `${bytes / UNITS.MiB} MiB`
  if (bytes >= UNITS.KiB && bytes % UNITS.KiB === 0) return `${bytes / UNITS.KiB} KiB`
  return `${bytes} byte${bytes === 1 ? '' : 's'}`
}

/** Parses a `--max-bytes` value: whole bytes, or a whole number of KiB, MiB or GiB (`64MiB`); at least 1 byte. */
export function parseByteSize(command: string, option: string, text: string): number {
  const m = /^(\d+)\s*(KiB|MiB|GiB)?$/.exec(text)
  const n = m === null ? Number.NaN : Number(m[1]) * UNITS[(m[2] ?? '') as keyof typeof UNITS]
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usageError(
      command,
      `${option} must be a whole number of bytes, KiB, MiB or GiB (e.g. 64MiB), got ${JSON.stringify(text)}`,
    )
  }
  return n
}
