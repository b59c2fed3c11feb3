import type {
  ConversationDetail,
  ConversationItem,
  ConversationView,
  TimelineEvent,
} from '../inspect-api-types.js'
import { api } from './api.js'
import { type AppState, serverNow } from './app-state.js'
import { perAgentChart } from './charts.js'
import { chip } from './chip.js'
import { fill, h } from './dom.js'
import { formatAgo, formatClock, formatDateTime, formatDuration, shortEvent, words } from './format.js'
import { stateLook } from './state-look.js'
import { timelineChart } from './timeline-chart.js'

/** What the conversations view shows; `open` shows one (source and id in the address). */
export interface ConversationsView {
  readonly el: HTMLElement
  /** Reloads the list, and the open conversation when its id is among `ids` (or always without ids). */
  refresh(ids?: readonly string[]): void
  open(source: string | null, id: string | null): void
  /** Keys: ↑/↓ or j/k move, Escape closes. */
  key(event: KeyboardEvent): boolean
  /** Redraws the countdowns (every second). */
  tick(): void
}

/**
 * Conversations from the event store (webhooks, with their export state) and from POST hook
 * deliveries, most recent first; the open one's timeline, store record and assembled conversation.
 */
export function conversationsView(state: AppState, navigate: (hash: string) => void): ConversationsView {
  const list = h('div', { class: 'list', role: 'listbox', tabindex: 0, 'aria-label': 'Conversations' })
  const detail = h('div', { class: 'pane detail-pane' })
  const el = h(
    'section',
    { class: 'split conversations' },
    h(
      'div',
      { class: 'pane list-pane' },
      h('div', { class: 'filters' }, h('span', { class: 'count' }, '')),
      list,
    ),
    detail,
  )
  const count = el.querySelector('.count') as HTMLElement
  let items: ConversationItem[] = []
  let current: { source: string; id: string } | null = null

  const row = (c: ConversationItem): HTMLElement => {
    const look = stateLook(c.state)
    const on = current !== null && current.source === c.source && current.id === c.id
    const r = h(
      'div',
      {
        class: `conversation-row${on ? ' selected' : ''}`,
        role: 'option',
        'aria-selected': String(on),
        'data-id': c.id,
        'data-source': c.source,
      },
      h(
        'span',
        { class: 'what' },
        h('span', { class: 'event' }, c.title ?? `Conversation ${c.id}`),
        h(
          'span',
          { class: 'sub' },
          `${c.id} · ${c.source === 'webhooks' ? `${c.eventCount} events` : 'POST hook'} · ${formatAgo(c.lastAt, serverNow(state))}`,
        ),
      ),
      h(
        'span',
        { class: 'chips' },
        chip(look, { 'data-state': c.state ?? 'post-hook' }),
        h('span', {
          class: 'countdown',
          'data-due': c.dueAt ?? '',
          'data-kind': c.state === 'open' ? 'quiet' : 'settle',
        }),
      ),
    )
    r.addEventListener('click', () => navigate(`#/conversations/${c.source}/${encodeURIComponent(c.id)}`))
    return r
  }

  const drawList = () => {
    count.textContent = `${items.length} conversation${items.length === 1 ? '' : 's'}`
    fill(
      list,
      ...(items.length === 0
        ? [
            h(
              'p',
              { class: 'empty' },
              state.session.secretCount === 0
                ? 'No conversation: inspect verifies and stores webhook events only with --secret (POST hook conversations show here all the same).'
                : 'No conversation yet: each authentic webhook event and POST hook conversation shows here.',
            ),
          ]
        : items.map(row)),
    )
    tick()
  }

  const loadList = async () => {
    items = await api.conversations()
    drawList()
  }

  const loadDetail = async () => {
    const at = current
    if (at === null) {
      fill(
        detail,
        h(
          'div',
          { class: 'placeholder' },
          h('p', {}, 'Select a conversation to see its timeline, its export and its transcript.'),
        ),
      )
      return
    }
    try {
      const d = await api.conversation(at.source, at.id)
      if (current !== at) return
      fill(detail, conversationDetail(d))
      tick()
    } catch (e) {
      if (current === at)
        fill(detail, h('p', { class: 'error' }, `Cannot show conversation ${at.id}: ${(e as Error).message}`))
    }
  }

  /** Every countdown on the page: "exports in 12 s", then "due now". */
  const tick = () => {
    const now = serverNow(state)
    for (const span of Array.from(el.querySelectorAll<HTMLElement>('.countdown'))) {
      const due = span.dataset.due
      if (due === undefined || due === '') {
        span.textContent = ''
        continue
      }
      const ms = Date.parse(due) - now
      const closed = span.dataset.kind !== 'quiet'
      span.textContent =
        ms > 0 ? `${closed ? 'exports' : 'finishes if quiet'} in ${formatDuration(ms)}` : 'due now'
    }
  }

  return {
    el,
    refresh(ids) {
      loadList().catch(() => undefined)
      if (current !== null && (ids === undefined || ids.includes(current.id)))
        loadDetail().catch(() => undefined)
    },
    open(source, id) {
      current = source === null || id === null ? null : { source, id }
      drawList()
      loadDetail().catch(() => undefined)
      loadList().catch(() => undefined)
    },
    key(e) {
      if (e.key === 'Escape') {
        navigate('#/conversations')
        return true
      }
      const down = e.key === 'ArrowDown' || e.key === 'j'
      const up = e.key === 'ArrowUp' || e.key === 'k'
      if (!down && !up) return false
      if (items.length === 0) return true
      const at = items.findIndex(
        (c) => current !== null && c.source === current.source && c.id === current.id,
      )
      const next = items[
        at < 0 ? 0 : Math.min(items.length - 1, Math.max(0, at + (down ? 1 : -1)))
      ] as ConversationItem
      navigate(`#/conversations/${next.source}/${encodeURIComponent(next.id)}`)
      return true
    },
    tick,
  }
}

function conversationDetail(d: ConversationDetail): HTMLElement {
  const look = stateLook(d.state)
  const c = d.conversation
  const view = c !== null && !('error' in c) ? c : null
  const quiet = d.state === 'open'
  return h(
    'article',
    { class: 'detail conversation-detail', 'data-id': d.id },
    h(
      'header',
      { class: 'detail-head' },
      h('h2', {}, view?.summary.visitorName ?? `Conversation ${d.id}`),
      h(
        'p',
        { class: 'meta' },
        [
          `conversation ${d.id}`,
          d.source === 'webhooks' ? 'from webhook events' : 'from the POST hook',
          view === null ? null : view.summary.category,
        ]
          .filter((p) => p !== null)
          .join(' · '),
      ),
      h(
        'div',
        { class: 'state-line' },
        chip(look, { 'data-state': d.state ?? 'post-hook', class: `chip ${look.tone} big` }),
        h('span', { class: 'countdown', 'data-due': d.dueAt ?? '', 'data-kind': quiet ? 'quiet' : 'settle' }),
        h('span', { class: 'state-detail' }, look.detail),
      ),
      typeof d.stored?.lastError === 'string'
        ? h(
            'p',
            { class: 'last-error' },
            `Last export failed (attempt ${String(d.stored.attempts ?? '?')}): ${d.stored.lastError}`,
          )
        : null,
    ),
    d.timeline.length === 0
      ? null
      : h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Timeline'),
          timelineChart(d.timeline),
          timelineList(d.timeline),
        ),
    d.stored === null
      ? null
      : h('section', { class: 'block' }, h('h3', {}, 'In the store'), storeFacts(d), exportsOf(d)),
    c === null
      ? null
      : 'error' in c
        ? h(
            'section',
            { class: 'block' },
            h('h3', {}, 'Assembled conversation'),
            h('p', { class: 'error' }, c.error),
          )
        : assembled(c),
  )
}

function timelineList(events: readonly TimelineEvent[]): HTMLElement {
  return h(
    'ol',
    { class: 'timeline-list' },
    ...events.map((e, i) =>
      h(
        'li',
        { class: `${e.stored ? '' : 'refused'}${e.late ? ' late' : ''}`, 'data-index': i + 1 },
        h('span', { class: 'n' }, String(i + 1)),
        h('span', { class: 'event' }, e.event === null ? 'undecodable body' : shortEvent(e.event)),
        h('span', { class: 'when' }, e.occurredAt === null ? 'time not told' : formatClock(e.occurredAt)),
        h(
          'span',
          { class: 'marks' },
          e.late
            ? h(
                'span',
                { class: 'chip warn', title: 'It arrived after an event that happened later' },
                'arrived late',
              )
            : null,
          e.deliveries.length > 1
            ? h(
                'span',
                { class: 'chip info', title: 'Smartsupp delivered it more than once; it counts once' },
                `delivered ${e.deliveries.length}× (${e.deliveries.map((s) => `#${s}`).join(', ')})`,
              )
            : null,
          !e.stored
            ? h(
                'span',
                { class: 'chip bad', title: 'Refused: not signed with your secret; never stored' },
                'refused, not stored',
              )
            : null,
          e.poisoned !== null ? h('span', { class: 'chip warn', title: e.poisoned }, 'poisoned') : null,
          e.text === null ? null : h('span', { class: 'chip muted' }, e.text),
        ),
        h(
          'span',
          { class: 'deliveries' },
          ...e.deliveries.slice(0, 1).map((s) => h('a', { href: `#/deliveries/${s}` }, `#${s}`)),
        ),
      ),
    ),
  )
}

function storeFacts(d: ConversationDetail): HTMLElement {
  const dl = h('dl', { class: 'facts store-facts' })
  for (const [key, value] of Object.entries(d.stored ?? {})) {
    dl.append(h('dt', {}, words(key)), h('dd', { 'data-field': key }, shown(key, value)))
  }
  return dl
}

/** A store field's value as text: dates in local time, `null` as a dash. */
function shown(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (key === 'state') return `${stateLook(String(value)).text} (${String(value)})`
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return formatDateTime(value)
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function exportsOf(d: ConversationDetail): HTMLElement | null {
  if (d.exports.length === 0) return null
  return h(
    'ul',
    { class: 'exports' },
    ...d.exports.map((e) =>
      h(
        'li',
        {},
        h('span', { class: 'chip ok' }, 'onConversationFinished'),
        ` ${formatDateTime(e.at)}: ${e.messageCount} messages, ${e.reason}, attempt ${e.attempt}, by ${e.owner}`,
      ),
    ),
  )
}

function assembled(c: ConversationView): HTMLElement {
  const s = c.summary
  const d = c.durations
  const ms = (n: number | null) => (n === null ? 'no answer' : formatDuration(n))
  const figures: [string, string][] = [
    ['Kind', s.category],
    [
      'Visitor',
      [s.visitorName ?? 'anonymous', s.visitorEmail === null ? null : `<${s.visitorEmail}>`]
        .filter((p) => p !== null)
        .join(' '),
    ],
    ['From', formatDateTime(s.beginAt)],
    ['To', formatDateTime(s.endAt)],
    ['Length', formatDuration(d.totalMs)],
    ['First response', ms(d.firstResponseMs)],
    ['Average response', ms(d.averageResponseMs)],
    ['Longest response', ms(d.longestResponseMs)],
    ['Turns answered', `${d.answeredTurnCount} of ${d.visitorTurnCount}`],
    [
      'Messages',
      `${s.messageCount} (visitor ${s.visitorMessageCount}, agents ${s.agentMessageCount}, automatic ${s.triggeredMessageCount})`,
    ],
    [
      'Rating',
      s.rating === null
        ? 'not rated'
        : `${'★'.repeat(s.rating)}${'☆'.repeat(Math.max(0, 5 - s.rating))}${s.ratingComment ? ` “${s.ratingComment}”` : ''}`,
    ],
    ...(c.closedBy === null ? [] : ([['Closed by', c.closedBy]] as [string, string][])),
    ['Warnings', String(s.warningCount)],
  ]
  return h(
    'section',
    { class: 'block assembled' },
    h('h3', {}, 'Assembled conversation'),
    h(
      'div',
      { class: 'kpis' },
      ...figures
        .slice(4, 8)
        .map(([k, v]) =>
          h(
            'div',
            { class: 'kpi' },
            h('span', { class: 'kpi-value' }, v),
            h('span', { class: 'kpi-label' }, k),
          ),
        ),
    ),
    h('dl', { class: 'facts' }, ...figures.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    c.agents.length === 0
      ? null
      : h('div', { class: 'agents' }, h('h4', {}, 'Per agent'), perAgentChart(c.agents)),
    h('h4', {}, 'Transcript'),
    h(
      'ol',
      { class: 'transcript' },
      ...c.messages.map((m) =>
        h(
          'li',
          { class: `message ${m.kind}` },
          h(
            'div',
            { class: 'who' },
            h('span', { class: 'label' }, m.label),
            h('time', { datetime: m.sentAt }, formatClock(m.sentAt)),
          ),
          m.lines === null ? null : h('div', { class: 'bubble' }, m.lines.join('\n')),
        ),
      ),
    ),
    c.warnings.length === 0
      ? null
      : h(
          'details',
          { class: 'warnings' },
          h('summary', {}, `${c.warnings.length} warning${c.warnings.length === 1 ? '' : 's'}`),
          h('ul', {}, ...c.warnings.map((w) => h('li', {}, w.message))),
        ),
  )
}
