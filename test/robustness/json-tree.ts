import type { DecodeIssue } from 'smartsupp-hook'
import { valueAt } from '../support/payloads.js'

/** Deep equality of two JSON values, iterative (inputs may nest 10 000 levels), `-0` told from `0`. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]]
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown]
    if (Object.is(x, y)) continue
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false
    if (Array.isArray(x) !== Array.isArray(y)) return false
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false
    const kx = Object.keys(x)
    const ky = Object.keys(y)
    if (kx.length !== ky.length) return false
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]])
    }
  }
  return true
}

const STANDARD = new Set<unknown>([Object.prototype, Array.prototype, Date.prototype, null])

/**
 * The first object in a tree whose prototype is not a standard one (plain object, array, Date or
 * none), or an inherited-looking own key that is not data; `undefined` when all is plain.
 */
export function foreignPrototype(root: unknown): string | undefined {
  const seen = new Set<object>()
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object' || seen.has(node)) continue
    seen.add(node)
    if (!STANDARD.has(Object.getPrototypeOf(node))) return `an object with a foreign prototype`
    for (const key of Object.keys(node)) {
      const d = Object.getOwnPropertyDescriptor(node, key)
      if (d === undefined || !('value' in d)) return `key ${JSON.stringify(key)} is not a data property`
      stack.push(d.value)
    }
  }
  return undefined
}

/** An issue's path exists in the input; for a `missing` issue, its parent does. */
export function issuePathExists(input: unknown, issue: DecodeIssue): boolean {
  if (issue.code === 'missing') {
    const parent = issue.path.replace(
      /(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])$|^[A-Za-z_$][A-Za-z0-9_$]*$/,
      '',
    )
    return valueAt(input, parent).found
  }
  return valueAt(input, issue.path).found
}
