// Small SVG charts, drawn here from the overview's figures: no chart library, no chart service.
import type { AgentShare, Overview } from '../inspect-api-types.js'
import { type DayLabel, dayLabels } from './day-labels.js'
import { s } from './dom.js'
import { formatDuration } from './format.js'

const BUCKETS: readonly { readonly label: string; readonly upToMs: number }[] = [
  { label: '< 30 s', upToMs: 30_000 },
  { label: '30 s – 1 min', upToMs: 60_000 },
  { label: '1 – 2 min', upToMs: 120_000 },
  { label: '2 – 5 min', upToMs: 300_000 },
  { label: '5 – 15 min', upToMs: 900_000 },
  { label: '> 15 min', upToMs: Number.POSITIVE_INFINITY },
]

/** The median of some numbers, or `null` for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** First-response times as bars per band, with the conversations no agent answered in grey. */
export function firstResponseChart(o: Overview): SVGSVGElement {
  const counts = BUCKETS.map(() => 0)
  for (const ms of o.firstResponsesMs) {
    const i = BUCKETS.findIndex((b) => ms < b.upToMs)
    counts[i] = (counts[i] as number) + 1
  }
  const bars = [
    ...BUCKETS.map((b, i) => ({ label: b.label, value: counts[i] as number, tone: 'ok' })),
    { label: 'no answer', value: o.unanswered, tone: 'muted' },
  ]
  const width = 560
  const height = 230
  const top = 44
  const bottom = 44
  const max = Math.max(1, ...bars.map((b) => b.value))
  const slot = (width - 20) / bars.length
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'First response times',
  })
  svg.append(s('title', {}, 'First response times'))
  bars.forEach((b, i) => {
    const h = ((height - top - bottom) * b.value) / max
    const x = 10 + i * slot + slot * 0.15
    const y = height - bottom - h
    svg.append(
      s(
        'rect',
        { x, y, width: slot * 0.7, height: Math.max(h, b.value > 0 ? 2 : 0), rx: 4, class: `bar ${b.tone}` },
        s('title', {}, `${b.label}: ${b.value}`),
      ),
      s(
        'text',
        { x: x + slot * 0.35, y: y - 6, class: 'value', 'text-anchor': 'middle' },
        b.value === 0 ? '' : String(b.value),
      ),
      s(
        'text',
        { x: x + slot * 0.35, y: height - bottom + 18, class: 'axis', 'text-anchor': 'middle' },
        b.label,
      ),
    )
  })
  svg.append(
    s('line', { x1: 10, x2: width - 10, y1: height - bottom, y2: height - bottom, class: 'baseline' }),
  )
  const m = median(o.firstResponsesMs)
  svg.append(
    s(
      'text',
      { x: 10, y: 14, class: 'caption' },
      m === null
        ? 'no answered conversation yet'
        : `median ${formatDuration(m)} over ${o.firstResponsesMs.length} answered`,
    ),
  )
  return svg
}

/**
 * Finished conversations per day, stacked: answered, missed and offline, the last 30 days that
 * have any, oldest first; when they span years, each year is shown under its first day.
 */
export function perDayChart(o: Overview): SVGSVGElement {
  const days = o.perDay.slice(-30)
  const labels = dayLabels(days.map((d) => d.day))
  const width = 560
  const height = 230
  const top = 44
  const bottom = 44
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'Missed versus answered per day',
  })
  svg.append(s('title', {}, 'Missed versus answered per day'))
  const max = Math.max(1, ...days.map((d) => d.answered + d.missed + d.offline))
  const slot = (width - 20) / Math.max(days.length, 7)
  const scale = (n: number) => ((height - top - bottom) * n) / max
  // Every day is labelled when the labels fit side by side, else every `step`-th (each bar's title has its date).
  const step = Math.max(1, Math.ceil(38 / slot))
  days.forEach((d, i) => {
    const x = 10 + i * slot + slot * 0.15
    let y = height - bottom
    for (const [tone, n, name] of [
      ['ok', d.answered, 'answered'],
      ['bad', d.missed, 'missed'],
      ['muted', d.offline, 'offline'],
    ] as const) {
      if (n === 0) continue
      const h = scale(n)
      y -= h
      svg.append(
        s(
          'rect',
          { x, y, width: slot * 0.7, height: h, rx: 3, class: `bar ${tone}` },
          s('title', {}, `${d.day}: ${n} ${name}`),
        ),
      )
    }
    const total = d.answered + d.missed + d.offline
    svg.append(
      s('text', { x: x + slot * 0.35, y: y - 6, class: 'value', 'text-anchor': 'middle' }, String(total)),
      s(
        'text',
        { x: x + slot * 0.35, y: height - bottom + 16, class: 'axis', 'text-anchor': 'middle' },
        i % step === 0 ? (labels[i] as DayLabel).day : '',
      ),
      s(
        'text',
        { x: x + slot * 0.35, y: height - bottom + 32, class: 'axis year', 'text-anchor': 'middle' },
        (labels[i] as DayLabel).year ?? '',
      ),
    )
  })
  svg.append(
    s('line', { x1: 10, x2: width - 10, y1: height - bottom, y2: height - bottom, class: 'baseline' }),
  )
  const legend = s('g', { class: 'legend' })
  ;[
    ['ok', 'answered'],
    ['bad', 'missed'],
    ['muted', 'offline'],
  ].forEach(([tone, name], i) => {
    legend.append(
      s('rect', { x: 10 + i * 100, y: 4, width: 12, height: 12, rx: 2, class: `bar ${tone}` }),
      s('text', { x: 28 + i * 100, y: 14, class: 'caption' }, name as string),
    )
  })
  svg.append(legend)
  if (days.length === 0)
    svg.append(
      s(
        'text',
        { x: width / 2, y: height / 2, class: 'caption', 'text-anchor': 'middle' },
        'no finished conversation yet',
      ),
    )
  return svg
}

/** Messages per agent as horizontal bars, most first. */
export function perAgentChart(agents: readonly AgentShare[]): SVGSVGElement {
  const shown = agents.slice(0, 12)
  const row = 28
  const width = 560
  const label = 170
  const height = Math.max(60, 16 + shown.length * row)
  const max = Math.max(1, ...shown.map((a) => a.messageCount))
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'Messages per agent',
  })
  svg.append(s('title', {}, 'Messages per agent'))
  shown.forEach((a, i) => {
    const y = 8 + i * row
    const w = ((width - label - 60) * a.messageCount) / max
    svg.append(
      s(
        'text',
        { x: label - 10, y: y + 15, class: 'axis', 'text-anchor': 'end' },
        a.name.length > 24 ? `${a.name.slice(0, 23)}…` : a.name,
      ),
      s(
        'rect',
        { x: label, y: y + 2, width: Math.max(w, 2), height: row - 10, rx: 4, class: 'bar info' },
        s('title', {}, `${a.name}: ${a.messageCount} messages, ${a.wordCount} words`),
      ),
      s('text', { x: label + w + 8, y: y + 15, class: 'value' }, String(a.messageCount)),
    )
  })
  if (shown.length === 0)
    svg.append(
      s('text', { x: width / 2, y: 34, class: 'caption', 'text-anchor': 'middle' }, 'no agent message yet'),
    )
  return svg
}
