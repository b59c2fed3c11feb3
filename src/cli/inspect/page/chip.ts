import { h } from './dom.js'
import type { Look } from './verdict-words.js'

/** A verdict or state as a coloured chip: its words, and its sentence on hover. */
export function chip(look: Look, extra: Record<string, string> = {}): HTMLElement {
  return h('span', { class: `chip ${look.tone}`, title: look.detail, ...extra }, look.text)
}
