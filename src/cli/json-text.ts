/** One object or array being written: its entries, how far it got, and how deep it is. */
interface Frame {
  readonly value: object
  readonly array: boolean
  readonly entries: readonly (readonly [string, unknown])[]
  readonly depth: number
  next: number
  written: number
}

const serialisable = (value: unknown): boolean =>
  value !== undefined && typeof value !== 'function' && typeof value !== 'symbol'

/** A value as `JSON.stringify` sees it under `key`: what its `toJSON(key)` returns, when it has one. */
function viaToJson(key: string, value: unknown): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') return toJSON.call(value, key)
  }
  return value
}

/**
 * `JSON.stringify(value, null, indent)`, written without recursion: the same text (`toJSON`,
 * skipped `undefined` and functions, `null` for them in arrays and for non-finite numbers, boxed
 * primitives unwrapped, a `TypeError` for a cycle or a BigInt), but nesting as deep as memory
 * allows, where `JSON.stringify` overflows the stack at a few thousand levels. Below
 * `indentDepth` levels it writes compactly, so the size stays linear in the nesting (indenting
 * every level of 20 000 would take 400 million spaces). `undefined` when `value` itself is not
 * serialisable, as `JSON.stringify`.
 */
export function jsonText(
  value: unknown,
  indent = 0,
  indentDepth = Number.POSITIVE_INFINITY,
): string | undefined {
  const parts: string[] = []
  const stack: Frame[] = []
  const open = new Set<object>()
  const newlines: string[] = []
  const newline = (depth: number): string => {
    if (indent === 0 || depth > indentDepth) return ''
    newlines[depth] ??= `\n${' '.repeat(indent * depth)}`
    return newlines[depth]
  }
  const write = (v: unknown, depth: number): void => {
    if (v === null) {
      parts.push('null')
      return
    }
    if (typeof v === 'string') {
      parts.push(JSON.stringify(v))
      return
    }
    if (typeof v === 'number') {
      parts.push(Number.isFinite(v) ? String(v) : 'null')
      return
    }
    if (typeof v === 'boolean') {
      parts.push(v ? 'true' : 'false')
      return
    }
    if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt')
    if (typeof v !== 'object') {
      parts.push('null')
      return
    }
    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      write(v.valueOf(), depth)
      return
    }
    if (open.has(v)) throw new TypeError('Converting circular structure to JSON')
    const array = Array.isArray(v)
    const entries: (readonly [string, unknown])[] = []
    if (array) {
      for (let i = 0; i < v.length; i++) entries.push([String(i), v[i]])
    } else {
      const fields = v as Record<string, unknown>
      for (const key of Object.keys(fields)) entries.push([key, fields[key]])
    }
    open.add(v)
    stack.push({ value: v, array, entries, depth, next: 0, written: 0 })
    parts.push(array ? '[' : '{')
  }

  const root = viaToJson('', value)
  if (!serialisable(root)) return undefined
  write(root, 0)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.next === frame.entries.length) {
      stack.pop()
      open.delete(frame.value)
      // Its entries were written compactly below indentDepth: so is its end.
      if (frame.written > 0 && frame.depth + 1 <= indentDepth) parts.push(newline(frame.depth))
      parts.push(frame.array ? ']' : '}')
      continue
    }
    const [key, raw] = frame.entries[frame.next++] as readonly [string, unknown]
    let v = viaToJson(key, raw)
    if (!serialisable(v)) {
      if (!frame.array) continue
      v = null
    }
    if (frame.written++ > 0) parts.push(',')
    parts.push(newline(frame.depth + 1))
    const compact = indent === 0 || frame.depth + 1 > indentDepth
    if (!frame.array) parts.push(compact ? `${JSON.stringify(key)}:` : `${JSON.stringify(key)}: `)
    write(v, frame.depth + 1)
  }
  return parts.join('')
}
