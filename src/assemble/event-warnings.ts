import { capText, MAX_ISSUE_CHARS, type Report } from '../decode/report.js'
import type { DecodeIssue } from '../model/issue.js'
import type { EventFact } from './event-fact.js'

/**
 * Adds every event's own warnings to `w` (internal), each path prefixed with the event's index in
 * `events` (`[3].data.message.type`), counting those beyond what the event kept.
 */
export function addEventWarnings(ordered: readonly EventFact[], w: Report): void {
  for (let at = 0; at < ordered.length; at++) {
    const f = ordered[at] as EventFact
    for (const warning of f.warnings) {
      if (w.warningCount++ < w.max) w.warnings.push(prefixed(`[${at}]`, warning))
    }
    w.warningCount += f.warningCount - f.warnings.length
  }
}

function prefixed(prefix: string, w: DecodeIssue): DecodeIssue {
  const path = w.path === '' ? prefix : w.path.startsWith('[') ? `${prefix}${w.path}` : `${prefix}.${w.path}`
  const where = w.path === '' ? '(root)' : w.path
  const rest = w.message.startsWith(`${where}: `) ? w.message.slice(where.length + 2) : w.message
  return { ...w, path, message: capText(`${path}: ${rest}`, MAX_ISSUE_CHARS) }
}
