import { appendIndex, appendKey } from '../../../decode/format-path.js'
import { h } from './dom.js'

/** An issue or warning to show in the tree at its path (paths as the decoders write them). */
export interface TreeNote {
  readonly path: string
  readonly message: string
  readonly kind: 'error' | 'warning'
}

/** Containers deeper than this start folded, unless they hold a note. */
const OPEN_DEPTH = 2
/** An array or object shows this many entries, then a button for the rest. */
const PAGE = 100
const MAX_STRING = 400

/** Whether `path` is `base` or inside it, in the decoders' notation (`a.b`, `a[3]`, `a["x y"]`). */
export function isUnder(path: string, base: string): boolean {
  if (base === '') return true
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`)
}

/**
 * A JSON value as a tree that folds: each node carries its path (`data-path`, the decoders'
 * notation), and each issue or warning is shown on the node at its path, marked and unfolded down
 * to it; one at a path the value does not have (a missing field) is shown where it should be.
 * Children are built when unfolded, so a large body costs only what is looked at.
 */
export function jsonTree(value: unknown, notes: readonly TreeNote[]): HTMLElement {
  const root = h('div', { class: 'tree', role: 'tree' })
  root.append(node(value, '', null, 0, notes))
  return root
}

function node(
  value: unknown,
  path: string,
  label: string | null,
  depth: number,
  notes: readonly TreeNote[],
): HTMLElement {
  const here = notes.filter((n) => n.path === path)
  const inside = notes.filter((n) => isUnder(n.path, path))
  const container = value !== null && typeof value === 'object'
  const el = h('div', {
    class: `node${here.some((n) => n.kind === 'error') ? ' has-issue' : here.length > 0 ? ' has-warning' : ''}${holds(inside, here)}`,
    'data-path': path,
    role: 'treeitem',
  })
  const row = h('div', { class: 'row' })
  el.append(row)
  const toggle = h('button', { class: 'toggle', type: 'button', 'aria-label': 'fold' }, container ? '▸' : '')
  if (!container) toggle.disabled = true
  row.append(toggle)
  if (label !== null) row.append(h('span', { class: 'key' }, label), h('span', { class: 'colon' }, ': '))
  if (!container) row.append(primitive(value))
  else {
    const count = Array.isArray(value) ? value.length : Object.keys(value).length
    row.append(h('span', { class: 'summary' }, Array.isArray(value) ? `[${count}]` : `{${count}}`))
  }
  for (const n of here) row.append(h('span', { class: `note ${n.kind}` }, atPath(n)))
  if (!container) return el
  const children = h('div', { class: 'children', role: 'group' })
  el.append(children)
  let built = false
  const open = (yes: boolean) => {
    if (yes && !built) {
      built = true
      build(children, value as object, path, depth, notes)
    }
    children.hidden = !yes
    toggle.textContent = yes ? '▾' : '▸'
    el.setAttribute('aria-expanded', String(yes))
  }
  toggle.addEventListener('click', () => open(children.hidden))
  open(depth < OPEN_DEPTH || inside.length > here.length)
  return el
}

function build(
  children: HTMLElement,
  value: object,
  path: string,
  depth: number,
  notes: readonly TreeNote[],
): void {
  const entries: [string, string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [appendIndex(path, i), String(i), v])
    : Object.keys(value).map((k) => [appendKey(path, k), k, (value as Record<string, unknown>)[k]])
  const show = (from: number, count: number) => {
    for (const [childPath, label, v] of entries.slice(from, from + count)) {
      children.append(node(v, childPath, label, depth + 1, notes))
    }
    const left = entries.length - from - count
    if (left > 0) {
      const more = h(
        'button',
        { class: 'more', type: 'button' },
        `show ${Math.min(PAGE, left)} more of ${left}`,
      )
      more.addEventListener('click', () => {
        more.remove()
        show(from + count, PAGE)
      })
      children.append(more)
    }
  }
  // The first page, or as far as the last entry holding a note, so no note is folded away.
  let last = -1
  entries.forEach(([p], i) => {
    if (notes.some((n) => isUnder(n.path, p))) last = i
  })
  show(0, Math.max(PAGE, last + 1))
  // A note below this node that no child's path leads to: a field that is not there.
  const childPaths = entries.map(([p]) => p)
  for (const n of notes) {
    if (n.path === path || !isUnder(n.path, path)) continue
    if (childPaths.some((p) => isUnder(n.path, p))) continue
    const rest = n.path.slice(path.length).replace(/^\./, '')
    children.append(
      h(
        'div',
        {
          class: `node ghost ${n.kind === 'error' ? 'has-issue' : 'has-warning'}`,
          'data-path': n.path,
          role: 'treeitem',
        },
        h(
          'div',
          { class: 'row' },
          h('span', { class: 'toggle' }),
          h('span', { class: 'key' }, rest),
          h('span', { class: 'colon' }, ': '),
          h('span', { class: 'missing' }, 'not there'),
          h('span', { class: `note ${n.kind}` }, atPath(n)),
        ),
      ),
    )
  }
}

/** ` holds-issue` or ` holds-warning` for a node with notes below it (not on it), else nothing. */
function holds(inside: readonly TreeNote[], here: readonly TreeNote[]): string {
  const below = inside.filter((n) => !here.includes(n))
  if (below.length === 0) return ''
  return below.some((n) => n.kind === 'error') ? ' holds-issue' : ' holds-warning'
}

/** A note's message without its path in front: the tree shows it at that path already. */
function atPath(n: TreeNote): string {
  const prefix = `${n.path === '' ? '(root)' : n.path}: `
  return n.message.startsWith(prefix) ? n.message.slice(prefix.length) : n.message
}

function primitive(value: unknown): HTMLElement {
  if (typeof value === 'string') {
    const text = JSON.stringify(value)
    const shown = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text
    return h(
      'span',
      { class: 'v string', title: text.length > MAX_STRING ? `${value.length} characters` : null },
      shown,
    )
  }
  if (typeof value === 'number') return h('span', { class: 'v number' }, String(value))
  if (typeof value === 'boolean') return h('span', { class: 'v boolean' }, String(value))
  return h('span', { class: 'v null' }, 'null')
}
