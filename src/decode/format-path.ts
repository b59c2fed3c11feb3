const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Appends an object key to a path: `.key` when it reads as an identifier, `["a key"]` otherwise. */
export function appendKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`
  return `${path}[${JSON.stringify(key)}]`
}

/** Appends an array index to a path: `messages[3]`. */
export function appendIndex(path: string, index: number): string {
  return `${path}[${index}]`
}
