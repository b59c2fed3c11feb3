import type { DeliverySummary } from '../inspect-api-types.js'
import type { AppState } from './app-state.js'
import { chip } from './chip.js'
import { deliveryDetail } from './delivery-detail.js'
import { fill, h } from './dom.js'
import { formatClock, formatSize, shortEvent } from './format.js'
import { decodeLook, duplicateLook, signatureLook, statusLook } from './verdict-words.js'

/** The verdict filter's choices: a name, its words, and which deliveries it keeps. */
const VERDICTS: readonly {
  readonly value: string
  readonly text: string
  readonly keep: (d: DeliverySummary) => boolean
}[] = [
  { value: 'all', text: 'Every verdict', keep: () => true },
  {
    value: 'authentic',
    text: 'Authentic',
    keep: (d) => d.signature.kind === 'valid' || d.signature.kind === 'token-valid',
  },
  {
    value: 'refused',
    text: 'Forged, unsigned or wrong token',
    keep: (d) => signatureLook(d.signature).tone === 'bad',
  },
  { value: 'invalid', text: 'Invalid or unread body', keep: (d) => d.decode.kind !== 'decoded' },
  {
    value: 'warnings',
    text: 'Decoded with warnings',
    keep: (d) => d.decode.kind === 'decoded' && d.decode.warningCount > 0,
  },
  { value: 'duplicates', text: 'Re-deliveries', keep: (d) => d.duplicateOf !== null },
]

/** What the deliveries view shows; `select` opens one (its number in the address). */
export interface DeliveriesView {
  readonly el: HTMLElement
  /** Redraws the list from `state.deliveries` (after a new one arrived: `fresh`, marked for a moment), keeping the selection. */
  refresh(fresh?: number): void
  select(seq: number | null): void
  /** Keys: ↑/↓ or j/k move, Escape closes, / finds a conversation. */
  key(event: KeyboardEvent): boolean
}

/**
 * The deliveries, newest first, one row each with its verdicts as chips, filtered by verdict,
 * event and conversation; the selected one's detail beside the list.
 */
export function deliveriesView(state: AppState, navigate: (hash: string) => void): DeliveriesView {
  const verdict = h('select', { 'aria-label': 'Filter by verdict', class: 'filter-verdict' })
  for (const v of VERDICTS) verdict.append(h('option', { value: v.value }, v.text))
  const event = h('select', { 'aria-label': 'Filter by event', class: 'filter-event' })
  const conversation = h('input', {
    type: 'search',
    placeholder: 'Conversation id  ( / )',
    'aria-label': 'Filter by conversation',
    class: 'filter-conversation',
  })
  const count = h('span', { class: 'count' })
  const list = h('div', { class: 'list', role: 'listbox', tabindex: 0, 'aria-label': 'Deliveries' })
  const detail = h('div', { class: 'pane detail-pane' })
  const el = h(
    'section',
    { class: 'split deliveries' },
    h(
      'div',
      { class: 'pane list-pane' },
      h('div', { class: 'filters' }, verdict, event, conversation, count),
      list,
    ),
    detail,
  )
  let selected: number | null = null
  let shown: DeliverySummary[] = []
  let detailFor: number | null = null

  const visible = (): DeliverySummary[] => {
    const keep = VERDICTS.find((v) => v.value === verdict.value)?.keep ?? (() => true)
    const name = event.value
    const id = conversation.value.trim()
    return state.deliveries.filter(
      (d) =>
        keep(d) &&
        (name === '' || d.event === name) &&
        (id === '' || d.conversationId?.includes(id) === true),
    )
  }

  let freshSeq: number | null = null
  const row = (d: DeliverySummary): HTMLElement => {
    const dup = duplicateLook(d)
    const what =
      d.event === null
        ? d.format === 'other-path'
          ? `POST ${d.path}`
          : d.decode.kind === 'not-read'
            ? 'body not read'
            : 'invalid body'
        : shortEvent(d.event)
    const sub = [
      d.format === 'webhook' ? 'webhook' : d.format === 'post-hook' ? 'POST hook' : d.path,
      d.conversationId === null ? null : `conv ${d.conversationId}`,
      d.who,
      formatSize(d.size),
    ]
      .filter((p) => p !== null)
      .join(' · ')
    const status = statusLook(d.status)
    const r = h(
      'div',
      {
        class: `delivery-row${d.seq === selected ? ' selected' : ''}${d.seq === freshSeq ? ' fresh' : ''}`,
        role: 'option',
        'data-seq': d.seq,
        'aria-selected': String(d.seq === selected),
      },
      h('span', { class: 'seq' }, `#${d.seq}`),
      h('span', { class: 'time' }, formatClock(d.receivedAt)),
      h('span', { class: 'what' }, h('span', { class: 'event' }, what), h('span', { class: 'sub' }, sub)),
      h(
        'span',
        { class: 'chips' },
        chip(signatureLook(d.signature), { 'data-verdict': 'signature' }),
        chip(decodeLook(d.decode), { 'data-verdict': 'decode' }),
        dup === null ? null : chip(dup, { 'data-verdict': 'duplicate' }),
      ),
      h('span', { class: `status ${status.tone}`, title: status.detail }, status.text),
    )
    r.addEventListener('click', () => navigate(`#/deliveries/${d.seq}`))
    return r
  }

  const refresh = (fresh?: number) => {
    freshSeq = fresh ?? null
    const names = [
      ...new Set(state.deliveries.map((d) => d.event).filter((e): e is string => e !== null)),
    ].sort()
    const current = event.value
    fill(event, h('option', { value: '' }, 'Every event'), ...names.map((n) => h('option', { value: n }, n)))
    event.value = names.includes(current) ? current : ''
    shown = visible()
    count.textContent = `${shown.length} of ${state.deliveries.length}`
    if (state.deliveries.length === 0) {
      fill(list, emptyState(state))
    } else if (shown.length === 0) {
      fill(list, h('p', { class: 'empty' }, 'No delivery matches these filters.'))
    } else {
      fill(list, ...shown.map(row))
    }
    if (selected !== null && detailFor !== selected) showDetail(selected)
  }

  const showDetail = (seq: number | null) => {
    detailFor = seq
    if (seq === null) {
      fill(
        detail,
        h(
          'div',
          { class: 'placeholder' },
          h('p', {}, 'Select a delivery to see its headers, body and verdicts.'),
          h(
            'p',
            { class: 'keys' },
            h('kbd', {}, '↑'),
            ' ',
            h('kbd', {}, '↓'),
            ' move · ',
            h('kbd', {}, 'Esc'),
            ' close · ',
            h('kbd', {}, '/'),
            ' find a conversation',
          ),
        ),
      )
      return
    }
    fill(detail, h('p', { class: 'loading' }, `Loading #${seq}…`))
    deliveryDetail(state, seq).then(
      (view) => {
        if (detailFor === seq) fill(detail, view)
      },
      (e: unknown) => {
        if (detailFor === seq)
          fill(detail, h('p', { class: 'error' }, `Cannot show #${seq}: ${(e as Error).message}`))
      },
    )
  }

  const select = (seq: number | null) => {
    selected = seq
    for (const r of Array.from(list.querySelectorAll<HTMLElement>('.delivery-row'))) {
      const on = r.dataset.seq === String(seq)
      r.classList.toggle('selected', on)
      r.setAttribute('aria-selected', String(on))
      if (on) r.scrollIntoView({ block: 'nearest' })
    }
    showDetail(seq)
  }

  for (const control of [verdict, event]) control.addEventListener('change', () => refresh())
  conversation.addEventListener('input', () => refresh())
  refresh()
  showDetail(null)

  return {
    el,
    refresh,
    select,
    key(e) {
      if (e.key === '/') {
        conversation.focus()
        return true
      }
      if (e.key === 'Escape') {
        navigate('#/deliveries')
        return true
      }
      const down = e.key === 'ArrowDown' || e.key === 'j'
      const up = e.key === 'ArrowUp' || e.key === 'k'
      if (!down && !up) return false
      if (shown.length === 0) return true
      const at = shown.findIndex((d) => d.seq === selected)
      const next = at < 0 ? 0 : Math.min(shown.length - 1, Math.max(0, at + (down ? 1 : -1)))
      navigate(`#/deliveries/${(shown[next] as DeliverySummary).seq}`)
      return true
    },
  }
}

function emptyState(state: AppState): HTMLElement {
  const s = state.session
  const secret = s.secretCount === 0 ? '' : ' --secret <your secret>'
  return h(
    'div',
    { class: 'empty waiting' },
    h('p', { class: 'pulse' }, 'Waiting for deliveries…'),
    h('p', {}, 'Point Smartsupp (or a tunnel) at these addresses, or send one from another terminal:'),
    h(
      'pre',
      { class: 'command' },
      `npx smartsupp-hook send ${s.webhookUrl} --fixture webhook:conversation.opened${secret}`,
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'webhooks'),
      h('dd', {}, s.webhookUrl),
      h('dt', {}, 'POST hook'),
      h('dd', {}, s.hookUrl),
    ),
  )
}
