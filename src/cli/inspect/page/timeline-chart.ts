import type { TimelineEvent } from '../inspect-api-types.js'
import { s } from './dom.js'
import { formatClock, shortEvent } from './format.js'

/**
 * A conversation's events in two lanes: above, when each happened (Smartsupp's time, to scale);
 * below, the order they arrived in. A line joins each event's two places, so an event that came
 * late crosses the others; a re-delivered one is ringed and counted; one refused (forged) is hollow.
 */
export function timelineChart(events: readonly TimelineEvent[]): SVGSVGElement {
  const width = 760
  const height = 206
  const left = 90
  const right = 24
  const happenedY = 66
  const arrivedY = 156
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart timeline',
    role: 'img',
    'aria-label': 'Timeline: when events happened and when they arrived',
  })
  svg.append(s('title', {}, 'When events happened, and the order they arrived in'))
  svg.append(
    s('text', { x: 8, y: happenedY + 4, class: 'lane' }, 'happened'),
    s('text', { x: 8, y: arrivedY + 4, class: 'lane' }, 'arrived'),
    s('line', { x1: left, x2: width - right, y1: happenedY, y2: happenedY, class: 'track' }),
    s('line', { x1: left, x2: width - right, y1: arrivedY, y2: arrivedY, class: 'track' }),
  )
  const times = events
    .map((e) => (e.occurredAt === null ? Number.NaN : Date.parse(e.occurredAt)))
    .filter(Number.isFinite)
  const first = Math.min(...times)
  const last = Math.max(...times)
  const span = last - first || 1
  const inner = width - left - right
  const stored = events.filter((e) => e.stored)
  const arrivals = Math.max(1, ...stored.map((e) => e.arrival))
  const xHappened = (e: TimelineEvent, i: number) => {
    const t = e.occurredAt === null ? Number.NaN : Date.parse(e.occurredAt)
    return Number.isFinite(t) && times.length > 1
      ? left + ((t - first) / span) * inner
      : left + ((i + 0.5) / events.length) * inner
  }
  const xArrived = (e: TimelineEvent) => left + ((e.arrival - 0.5) / arrivals) * inner
  // Events close in time are spread apart, so every dot stays visible (order kept, scale bent a little).
  const gap = 24
  const xs = events.map(xHappened)
  for (let i = 1; i < xs.length; i++) xs[i] = Math.max(xs[i] as number, (xs[i - 1] as number) + gap)
  const overflow = (xs.at(-1) ?? 0) - (width - right)
  if (overflow > 0 && xs.length > 1) {
    const from = xs[0] as number
    const span = (xs.at(-1) as number) - from
    for (let i = 0; i < xs.length; i++) xs[i] = from + (((xs[i] as number) - from) * (span - overflow)) / span
  }
  events.forEach((e, i) => {
    const hx = xs[i] as number
    const n = String(i + 1)
    const tone = !e.stored ? 'refused' : e.poisoned !== null ? 'poisoned' : e.late ? 'late' : 'ok'
    const title = `${i + 1}. ${e.event === null ? 'undecodable' : shortEvent(e.event)}${e.occurredAt === null ? '' : ` at ${formatClock(e.occurredAt)}`}${e.late ? ', arrived late' : ''}${e.deliveries.length > 1 ? `, delivered ${e.deliveries.length} times` : ''}${e.stored ? '' : ', not stored'}`
    const g = s('g', { class: `event ${tone}`, 'data-index': n })
    if (e.stored) {
      const ax = xArrived(e)
      g.append(
        s('path', {
          d: `M ${hx} ${happenedY + 9} C ${hx} ${(happenedY + arrivedY) / 2}, ${ax} ${(happenedY + arrivedY) / 2}, ${ax} ${arrivedY - 9}`,
          class: 'link',
        }),
      )
      g.append(
        s('circle', { cx: ax, cy: arrivedY, r: 9, class: 'dot' }),
        s('text', { x: ax, y: arrivedY + 4, class: 'num', 'text-anchor': 'middle' }, n),
      )
      if (e.deliveries.length > 1) {
        g.append(
          s('circle', { cx: ax, cy: arrivedY, r: 13, class: 'ring' }),
          s(
            'text',
            { x: ax, y: arrivedY + 30, class: 'times', 'text-anchor': 'middle' },
            `×${e.deliveries.length}`,
          ),
        )
      }
    }
    g.append(
      s('circle', { cx: hx, cy: happenedY, r: 9, class: 'dot' }),
      s('text', { x: hx, y: happenedY + 4, class: 'num', 'text-anchor': 'middle' }, n),
    )
    g.append(
      s(
        'text',
        { x: hx, y: happenedY - 16 - (i % 3) * 14, class: 'label', 'text-anchor': 'middle' },
        e.event === null ? '?' : shortEvent(e.event),
      ),
    )
    g.append(s('title', {}, title))
    svg.append(g)
  })
  return svg
}
