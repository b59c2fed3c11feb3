const HTML_SPECIAL = /[&<>"']/g
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values (internal). */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (ch) => ENTITIES[ch] ?? ch)
}
