// The inspect page: built into dist/inspect-page/app.js at package build time and served by
// `smartsupp-hook inspect` only. No framework; every text goes in as text.
import type { DeliverySummary } from '../inspect-api-types.js'
import { api, apiUrl } from './api.js'
import type { AppState } from './app-state.js'
import { conversationsView } from './conversations-view.js'
import { deliveriesView } from './deliveries-view.js'
import { fill, h } from './dom.js'
import { overviewView } from './overview-view.js'

async function start(root: HTMLElement): Promise<void> {
  const session = await api.session()
  const state: AppState = {
    session,
    deliveries: [],
    clockOffsetMs: Date.parse(session.serverNow) - Date.now(),
    live: false,
  }
  // The page follows a move at once, not when `hashchange` comes: a second key pressed before it
  // came moved from the old selection (j right after ↓ stayed on the same delivery).
  const navigate = (hash: string) => {
    if (location.hash !== hash) location.hash = hash
    route()
  }
  const deliveries = deliveriesView(state, navigate)
  const conversations = conversationsView(state, navigate)
  const overview = overviewView()

  const tab = (name: string, hash: string) => h('a', { class: 'tab', href: hash, 'data-view': name }, name)
  const tabs = {
    deliveries: tab('Deliveries', '#/deliveries'),
    conversations: tab('Conversations', '#/conversations'),
    overview: tab('Overview', '#/overview'),
  }
  const deliveryCount = h('span', { class: 'badge' }, '0')
  tabs.deliveries.append(' ', deliveryCount)
  const liveDot = h('span', { class: 'live', role: 'status' }, 'connecting…')
  const main = h('main', {})
  fill(
    root,
    h(
      'header',
      { class: 'top' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'mark', 'aria-hidden': 'true' }),
        h('strong', {}, 'smartsupp-hook'),
        h('span', {}, 'inspect'),
      ),
      h('nav', {}, tabs.deliveries, tabs.conversations, tabs.overview),
      h(
        'div',
        { class: 'status-line' },
        liveDot,
        h(
          'span',
          { class: 'fact', title: 'Secrets given with --secret' },
          session.secretCount === 0
            ? 'no secret'
            : `${session.secretCount} secret${session.secretCount === 1 ? '' : 's'}`,
        ),
        h('span', { class: 'fact', title: 'The event store' }, `store: ${session.store}`),
      ),
    ),
    session.secretCount === 0
      ? h(
          'p',
          { class: 'banner' },
          'Started without --secret: webhook signatures are not verified, and nothing enters the event store. Restart with --secret <your app secret>.',
        )
      : null,
    main,
  )

  const setDeliveries = (list: DeliverySummary[], fresh?: number) => {
    state.deliveries = list.sort((a, b) => b.seq - a.seq)
    deliveryCount.textContent = String(list.length)
    deliveries.refresh(fresh)
  }
  let view: 'deliveries' | 'conversations' | 'overview' = 'deliveries'
  // The hash the page shows; `hashchange` for it (after `navigate`) has nothing left to do.
  let routed: string | null = null
  const route = () => {
    routed = location.hash
    const parts = location.hash.replace(/^#\/?/, '').split('/')
    const name = parts[0] === 'conversations' || parts[0] === 'overview' ? parts[0] : 'deliveries'
    view = name
    for (const [key, el] of Object.entries(tabs)) el.classList.toggle('active', key === name)
    const el =
      name === 'deliveries' ? deliveries.el : name === 'conversations' ? conversations.el : overview.el
    if (main.firstChild !== el) fill(main, el)
    if (name === 'deliveries') {
      const seq = Number(parts[1])
      deliveries.select(Number.isSafeInteger(seq) && seq > 0 ? seq : null)
    } else if (name === 'conversations') {
      const source = parts[1] ?? null
      const id = parts.length > 2 ? decodedPart(parts.slice(2).join('/')) : null
      conversations.open(source === '' ? null : source, id)
    } else overview.refresh()
  }
  window.addEventListener('hashchange', () => {
    if (location.hash !== routed) route()
  })

  // Live: every delivery and every change of a conversation's state, as it happens.
  const follow = () => {
    const stream = new EventSource(apiUrl('stream'))
    stream.addEventListener('hello', () => {
      state.live = true
      liveDot.textContent = 'live'
      liveDot.classList.add('on')
      // (Re)connected: catch up on what came meanwhile.
      api.deliveries().then(setDeliveries, () => undefined)
      if (view === 'conversations') conversations.refresh()
    })
    stream.addEventListener('delivery', (e) => {
      const { seq } = JSON.parse((e as MessageEvent<string>).data) as { seq: number }
      api.delivery(seq).then(
        (d) => {
          if (state.deliveries.some((x) => x.seq === d.seq)) return
          setDeliveries([d, ...state.deliveries], d.seq)
          if (view === 'overview') overview.refresh()
        },
        () => undefined,
      )
    })
    stream.addEventListener('conversations', (e) => {
      const { ids } = JSON.parse((e as MessageEvent<string>).data) as { ids: string[] }
      if (view === 'conversations') conversations.refresh(ids)
      if (view === 'overview') overview.refresh()
    })
    stream.addEventListener('error', () => {
      state.live = false
      liveDot.textContent = 'reconnecting…'
      liveDot.classList.remove('on')
    })
  }

  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null
    const typing =
      target !== null &&
      (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')
    if (e.metaKey || e.ctrlKey || e.altKey) return
    if (typing) {
      if (e.key === 'Escape') target.blur()
      return
    }
    const views: Record<string, string> = { '1': '#/deliveries', '2': '#/conversations', '3': '#/overview' }
    const to = views[e.key]
    if (to !== undefined) navigate(to)
    const handled =
      to !== undefined ||
      (view === 'deliveries' ? deliveries.key(e) : view === 'conversations' ? conversations.key(e) : false)
    if (handled) e.preventDefault()
  })
  setInterval(() => conversations.tick(), 1000)

  route()
  setDeliveries(await api.deliveries())
  follow()
}

const root = document.getElementById('app')
if (root !== null) {
  start(root).catch((e: unknown) => {
    fill(root, h('p', { class: 'error fatal' }, `The inspector cannot be reached: ${(e as Error).message}`))
  })
}

/** A percent-encoded part of the address, decoded; as it is when malformed (`%E0`), so a hand-typed address shows "not found" rather than failing. */
function decodedPart(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
