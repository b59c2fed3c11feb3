import type { Overview } from '../inspect-api-types.js'
import { api } from './api.js'
import { firstResponseChart, median, perAgentChart, perDayChart } from './charts.js'
import { fill, h } from './dom.js'
import { formatDuration } from './format.js'

/** The overview: a few figures, then first-response times, missed versus answered per day and messages per agent. */
export function overviewView(): { readonly el: HTMLElement; refresh(): void } {
  const el = h('section', { class: 'overview' }, h('p', { class: 'loading' }, 'Loading…'))
  const draw = (o: Overview) => {
    const m = median(o.firstResponsesMs)
    const kpi = (value: string | number, label: string, tone = '') =>
      h(
        'div',
        { class: `kpi ${tone}` },
        h('span', { class: 'kpi-value' }, String(value)),
        h('span', { class: 'kpi-label' }, label),
      )
    fill(
      el,
      h(
        'div',
        { class: 'kpis' },
        kpi(o.deliveries.total, 'deliveries'),
        kpi(o.deliveries.authentic, 'authentic', 'ok'),
        kpi(o.deliveries.refused, 'refused (4xx)', o.deliveries.refused > 0 ? 'bad' : ''),
        kpi(o.deliveries.invalid, 'invalid bodies', o.deliveries.invalid > 0 ? 'warn' : ''),
        kpi(o.deliveries.duplicates, 're-deliveries', 'info'),
        kpi(o.total, 'conversations'),
        kpi(m === null ? '—' : formatDuration(m), 'median first response'),
      ),
      h(
        'div',
        { class: 'charts' },
        h(
          'figure',
          { class: 'card chart-card' },
          h('figcaption', {}, 'First response times'),
          firstResponseChart(o),
        ),
        h(
          'figure',
          { class: 'card chart-card' },
          h('figcaption', {}, 'Missed versus answered, per day'),
          perDayChart(o),
          h(
            'p',
            { class: 'meta chart-note' },
            'Finished conversations by the day they began (UTC). Missed: the visitor wrote and no agent answered; still open ones are not counted.',
          ),
        ),
        h(
          'figure',
          { class: 'card chart-card' },
          h('figcaption', {}, 'Messages per agent'),
          perAgentChart(o.perAgent),
        ),
      ),
      o.counted < o.total
        ? h(
            'p',
            { class: 'meta' },
            `Figures over ${o.counted} of ${o.total} conversations: the most recent that could be assembled (or decoded).`,
          )
        : null,
    )
  }
  return {
    el,
    refresh() {
      api
        .overview()
        .then(draw, (e: unknown) =>
          fill(el, h('p', { class: 'error' }, `Cannot load the overview: ${(e as Error).message}`)),
        )
    },
  }
}
