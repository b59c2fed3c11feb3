import type { ConversationBase } from '../model/conversation.js'
import type { Message } from '../model/message.js'
import { conversationFacts } from './conversation-facts.js'
import { escapeHtml } from './escape-html.js'
import { escapeMarkdownLine } from './escape-markdown.js'
import { eventText } from './event-text.js'
import { zonedTimeFormat } from './zoned-time-format.js'

/** The output of `transcript`: plain text (the default), Markdown, or an HTML fragment. */
export type TranscriptFormat = 'text' | 'markdown' | 'html'

/** Options for `transcript`. */
export interface TranscriptOptions {
  /** `'text'` (default), `'markdown'` or `'html'`. */
  readonly format?: TranscriptFormat
  /** An IANA time zone for the times, such as `'Europe/Prague'`; default `'UTC'`. */
  readonly timeZone?: string
}

const FORMATS: readonly string[] = ['text', 'markdown', 'html']
const NEWLINE = /\r\n|\r|\n/
const NEWLINES = /\r\n|\r|\n/g

/** One line of a transcript before it is rendered (internal; `inspect` renders them as DOM). */
export interface TranscriptEntry {
  readonly message: Message
  readonly time: string
  /** Who wrote it, or the event as a sentence for system messages. */
  readonly label: string
  /** The content's lines; `null` for system events, whose content is the label. */
  readonly lines: readonly string[] | null
}

/**
 * The conversation as a readable transcript for a CRM note or a help-desk ticket: one entry per
 * message, oldest first (see `chronologicalMessages`), each stamped `YYYY-MM-DD HH:mm:ss` in
 * `timeZone` with its offset (`2015-03-27 15:33:59 UTC`, `2015-03-27 16:33:59 UTC+01:00`;
 * seconds truncated). Triggered messages read "Automatic message (<trigger>)", system events
 * read as sentences ("John Doe joined", "John Doe left", "Chat assigned to John Doe", "John Doe
 * closed the chat", "Visitor closed the chat"; unknown codes as they came).
 * Markdown and HTML escape every name and content, so no message can inject markup or a link
 * (Markdown also drops each line's indentation and the whitespace ending a message). `''` (text,
 * Markdown) or an empty list (HTML) when there are no messages. Throws a TypeError or RangeError
 * naming the option for an unknown `format` or `timeZone`.
 */
export function transcript(c: ConversationBase, options?: TranscriptOptions): string {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError('transcript: options must be an object such as { format: "text", timeZone: "UTC" }')
  }
  const format: unknown = options?.format ?? 'text'
  if (typeof format !== 'string' || !FORMATS.includes(format)) {
    throw new TypeError(
      `transcript: options.format must be 'text', 'markdown' or 'html'; got ${typeof format === 'string' ? JSON.stringify(format) : `a value of type ${typeof format}`}`,
    )
  }
  const time = zonedTimeFormat(options?.timeZone ?? 'UTC', 'transcript: options.timeZone')
  const entries = transcriptEntries(c, time)
  switch (format as TranscriptFormat) {
    case 'text':
      return entries.map(textLine).join('\n')
    case 'markdown':
      return entries.map(markdownLine).join('\n')
    case 'html':
      return `<ol class="smartsupp-transcript">\n${entries.map(htmlLine).join('')}</ol>`
  }
}

/**
 * The transcript's entries, oldest first: each message with its time through `time`, who wrote it
 * (or the event as a sentence) and its lines (internal: `transcript` renders them as text,
 * Markdown or HTML; `smartsupp-hook inspect` as DOM).
 */
export function transcriptEntries(c: ConversationBase, time: (date: Date) => string): TranscriptEntry[] {
  const { messages, agents } = conversationFacts(c)
  // An agent's name as `agents` reports it (the last one seen) names the messages that carry none.
  const agentNames = new Map<string, string>()
  for (const a of agents) if (a.name !== null) agentNames.set(a.id, a.name)
  const agentName = (id: string) => agentNames.get(id) ?? `Agent ${id}`
  const visitorName = nonEmpty(c.visitor?.name) ? c.visitor.name : 'Visitor'

  const label = (m: Message): string => {
    switch (m.kind) {
      case 'visitor':
        return nonEmpty(m.name) ? m.name : visitorName
      case 'agent':
        return nonEmpty(m.name) ? m.name : agentName(m.sender.id)
      case 'trigger':
        return nonEmpty(m.triggeredBy) ? `Automatic message (${m.triggeredBy})` : 'Automatic message'
      case 'system':
        return eventText(m, agentName)
    }
  }
  const entries: TranscriptEntry[] = []
  for (const m of messages) {
    entries.push({
      message: m,
      time: time(m.sentAt),
      // A name or an event is one line, whatever it holds.
      label: label(m).replace(NEWLINES, ' '),
      lines: m.kind === 'system' ? null : m.content.split(NEWLINE),
    })
  }
  return entries
}

function nonEmpty(text: string | null | undefined): text is string {
  return text !== null && text !== undefined && text !== ''
}

function textLine(e: TranscriptEntry): string {
  if (e.lines === null) return `[${e.time}] * ${e.label}`
  // Continuation lines are indented, so no content can pass for a line of its own.
  return `[${e.time}] ${e.label}: ${e.lines.join('\n    ')}`
}

function markdownLine(e: TranscriptEntry): string {
  if (e.lines === null) return `- **${e.time}** _${escapeMarkdownLine(e.label)}_`
  // Whitespace and blank lines at the end, invisible once rendered, are dropped: a blank line
  // would end the list item (and show a stray backslash), and whitespace ending the document
  // makes marked add an empty paragraph.
  const lines = e.lines.map(escapeMarkdownLine)
  while (lines.length > 1 && (lines[lines.length - 1] as string).trimEnd() === '') lines.pop()
  lines[lines.length - 1] = (lines[lines.length - 1] as string).trimEnd()
  // A backslash at the end of a line is a hard line break; the indent keeps it in the list item.
  return `- **${e.time}** **${escapeMarkdownLine(e.label)}:** ${lines.join('\\\n  ')}`
}

function htmlLine(e: TranscriptEntry): string {
  const time = `<time datetime="${e.message.sentAt.toISOString()}">${escapeHtml(e.time)}</time>`
  const kind = e.message.kind
  if (e.lines === null) return `<li data-kind="${kind}">${time} <em>${escapeHtml(e.label)}</em></li>\n`
  const content = e.lines.map(escapeHtml).join('<br>')
  return `<li data-kind="${kind}">${time} <strong>${escapeHtml(e.label)}</strong>: ${content}</li>\n`
}
