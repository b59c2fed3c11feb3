import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const examplePath = fileURLToPath(new URL('../../examples/payloads/documented-example.json', import.meta.url))

/** The documented example's exact bytes. */
export const documentedExampleBytes: Buffer = readFileSync(examplePath)

/** A fresh, mutable deep copy of the documented example. */
// biome-ignore lint/suspicious/noExplicitAny: tests reshape the payload freely
export function documentedExample(): any {
  return JSON.parse(documentedExampleBytes.toString('utf8'))
}

/** The documented example in the pre-2018 form (shared spec: older variants). */
// biome-ignore lint/suspicious/noExplicitAny: tests reshape the payload freely
export function legacyExample(): any {
  const p = documentedExample()
  p.visitor.groupKey = p.visitor.group
  delete p.visitor.group
  for (const m of p.messages) {
    m.email = null
    if (m.from === 'system') m.from = null
    else if (m.from.startsWith('agent:')) m.from = Number(m.from.slice('agent:'.length))
    else m.from = m.from.slice('visitor:'.length)
  }
  return p
}

/** Reads a value at a plain path such as `messages[3].sentAt` or `visitor.variables["a b"]`. */
export function valueAt(root: unknown, path: string): { found: boolean; value: unknown } {
  if (path === '') return { found: true, value: root }
  const segments: (string | number)[] = []
  const re = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy
  let match: RegExpExecArray | null
  let last = 0
  // biome-ignore lint/suspicious/noAssignInExpressions: a scanner loop
  while ((match = re.exec(path)) !== null) {
    last = re.lastIndex
    if (match[1] !== undefined) segments.push(match[1])
    else if (match[2] !== undefined) segments.push(Number(match[2]))
    else segments.push(JSON.parse(match[3] as string) as string)
  }
  if (last !== path.length) throw new Error(`unparseable path ${path}`)
  let cur: unknown = root
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, s)) {
      return { found: false, value: undefined }
    }
    cur = (cur as Record<string | number, unknown>)[s]
  }
  return { found: true, value: cur }
}

function parent(
  root: unknown,
  path: string,
): { holder: Record<string | number, unknown>; key: string | number } {
  const m = /^(.*?)(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|^([A-Za-z_$][A-Za-z0-9_$]*))$/.exec(path)
  if (m === null) throw new Error(`unsupported path ${path}`)
  const parentPath = m[4] !== undefined ? '' : (m[1] as string)
  const key = m[2] ?? m[4] ?? Number(m[3])
  const { found, value } = valueAt(root, parentPath)
  if (!found || value === null || typeof value !== 'object') throw new Error(`no parent for ${path}`)
  return { holder: value as Record<string | number, unknown>, key }
}

/** Sets the value at a plain path in place. */
export function setAt(root: unknown, path: string, value: unknown): void {
  const { holder, key } = parent(root, path)
  holder[key] = value
}

/** Deletes the key at a plain path in place. */
export function deleteAt(root: unknown, path: string): void {
  const { holder, key } = parent(root, path)
  delete holder[key]
}
