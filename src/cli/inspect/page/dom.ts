// The page builds every element with these: text always goes in as `textContent` (or an SVG
// `<text>`'s), never as markup, so nothing from a delivery can become an element or a script.

/** What `h` accepts as children: elements, text (set as text), or nothing. */
export type Child = Node | string | number | null | undefined | false

/** Attributes: `class`, `title`, `data-*`, `aria-*` and the like; `on*` handlers are refused. */
export type Attributes = Record<string, string | number | boolean | null | undefined>

function apply(el: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    // Handlers are attached with addEventListener, never as attributes.
    if (/^on/i.test(name)) throw new Error(`h: no ${name} attribute; use addEventListener`)
    if (value === null || value === undefined || value === false) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
}

function append(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    )
  }
}

/** An HTML element with attributes and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  apply(el, attributes)
  append(el, children)
  return el
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element with attributes and children; strings become text nodes. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag)
  apply(el, attributes)
  append(el, children)
  return el
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, children)
}
