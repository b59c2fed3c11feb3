const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
/** Keys longer than this are cut in paths, so one hostile key cannot make a huge issue. */
const MAX_KEY_CHARS = 100

/**
 * Appends an object key to a path: `.key` when it reads as an identifier, `["a key"]` otherwise.
 * A key over 100 characters is cut, with `…` after the closing quote marking the cut.
 */
export function appendKey(path: string, key: string): string {
  if (key.length > MAX_KEY_CHARS) return `${path}[${JSON.stringify(key.slice(0, MAX_KEY_CHARS))}…]`
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`
  return `${path}[${JSON.stringify(key)}]`
}

/** Appends an array index to a path: `messages[3]`. */
export function appendIndex(path: string, index: number): string {
  return `${path}[${index}]`
}
