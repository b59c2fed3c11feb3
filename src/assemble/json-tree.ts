/**
 * Why a value cannot be a JSON value as `JSON.parse` makes it, or `null` when it can: every object
 * met once (no cycle, no object shared by two places), and only strings, finite numbers, booleans
 * and `null` at the leaves (internal). Iterative, so 200 000 levels of nesting cannot overflow the
 * stack; each value is looked at once and the walk stops at the first problem, so the work is
 * bounded by the value's size (a sparse array of length 2³² − 1 stops at its first hole).
 */
export function jsonTreeProblem(root: unknown): string | null {
  const seen = new Set<object>()
  const todo: object[] = []
  const leaf = (value: unknown): string | null => {
    if (value === null) return null
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return null
      case 'number':
        return Number.isFinite(value) ? null : `a number that JSON cannot hold (${String(value)})`
      case 'object':
        if (seen.has(value))
          return 'an object that contains itself or appears twice (JSON.parse never makes one)'
        seen.add(value)
        todo.push(value)
        return null
      case 'undefined':
        return 'nothing (undefined, or a hole in an array), which JSON cannot hold'
      default:
        return `a ${typeof value}, which JSON cannot hold`
    }
  }
  let problem = leaf(root)
  while (problem === null && todo.length > 0) {
    const o = todo.pop() as object
    if (Array.isArray(o)) {
      for (let i = 0; problem === null && i < o.length; i++) problem = leaf(o[i])
    } else {
      const fields = o as Record<string, unknown>
      const keys = Object.keys(fields)
      for (let i = 0; problem === null && i < keys.length; i++) problem = leaf(fields[keys[i] as string])
    }
  }
  return problem
}
