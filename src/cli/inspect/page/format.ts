/** A size for people: `812 B`, `4.2 KB`, `1.3 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}

/** A duration for people: `850 ms`, `42 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatDuration(ms: number): string {
  const negative = ms < 0
  const abs = Math.abs(ms)
  let text: string
  if (abs < 1000) text = `${Math.round(abs)} ms`
  else if (abs < 60_000) text = `${Math.round(abs / 1000)} s`
  else if (abs < 3_600_000) {
    const min = Math.floor(abs / 60_000)
    const sec = Math.round((abs % 60_000) / 1000)
    text = sec === 0 ? `${min} min` : `${min} min ${sec} s`
  } else {
    const hours = Math.floor(abs / 3_600_000)
    const min = Math.round((abs % 3_600_000) / 60_000)
    text = min === 0 ? `${hours} h` : `${hours} h ${min} min`
  }
  return negative ? `−${text}` : text
}

/** A time of day in the browser's zone: `14:03:27`. */
export function formatClock(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleTimeString(undefined, { hour12: false })
}

/** A date and time in the browser's zone: `2026-05-02 14:03:27`. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${d.toLocaleTimeString(undefined, { hour12: false })}`
}

/** How long ago, roughly: `just now`, `12 s ago`, `3 min ago`. */
export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso)
  if (!Number.isFinite(ms)) return ''
  if (ms < 2000) return 'just now'
  return `${formatDuration(ms)} ago`
}

/** `camelCase` as words: `eventsAfterExport` → `events after export`. */
export function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}

/** An event name shortened for a chip: `conversation.agent_replied` → `agent replied`. */
export function shortEvent(event: string): string {
  return event.replace(/^conversation\./, '').replace(/_/g, ' ')
}
