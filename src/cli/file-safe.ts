import { fnv1a64 } from '../helpers/fnv1a64.js'

/** Text from a sender made safe inside a file name: letters, digits, `.`, `_` and `-` only, at most 60 characters. */
export function fileSafe(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 60) || '_'
  )
}

/**
 * A file name for an id that no other id shares: the id itself when it is already file-safe,
 * else its file-safe form and a hash of the id (so `a/b` and `a_b` do not overwrite each other).
 */
export function uniqueFileName(id: string): string {
  const safe = fileSafe(id)
  return safe === id ? id : `${safe}-${fnv1a64(id).slice(0, 12)}`
}
