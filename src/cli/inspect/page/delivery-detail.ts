import type { DeliveryDetail } from '../inspect-api-types.js'
import { api, apiUrl, pageToken } from './api.js'
import type { AppState } from './app-state.js'
import { chip } from './chip.js'
import { fill, h } from './dom.js'
import { formatDateTime, formatSize } from './format.js'
import { jsonTree, type TreeNote } from './json-tree-view.js'
import {
  decodeLook,
  duplicateLook,
  type Look,
  signatureLook,
  statusLook,
  storeLook,
} from './verdict-words.js'

/** Bodies larger than this are shown cut (download them for all of it). */
const MAX_SHOWN_BYTES = 1_000_000
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * One delivery: its verdicts in sentences, then tabs for the JSON tree (each issue and warning at
 * its path), the raw body as received, the decoded model, the headers (credentials redacted) and
 * the answer; and the actions: replay to a URL (re-signed), copy as a signed curl command,
 * download the raw bytes.
 */
export async function deliveryDetail(state: AppState, seq: number): Promise<HTMLElement> {
  const d = await api.delivery(seq)
  const bytes = d.kept ? await api.body(seq) : null
  const title =
    d.event ??
    (d.format === 'other-path'
      ? `POST ${d.path}`
      : d.decode.kind === 'not-read'
        ? 'body not read'
        : 'invalid body')
  const dup = duplicateLook(d)
  const cards: [string, Look][] = [
    [d.format === 'post-hook' ? 'Token' : 'Signature', signatureLook(d.signature)],
    ['Decoding', decodeLook(d.decode)],
    ...(dup === null ? [] : ([['Re-delivery', dup]] as [string, Look][])),
    ['Store', storeLook(d.store)],
    ['Answer', statusLook(d.status)],
  ]
  const panel = h('div', { class: 'tab-panel' })
  const tabs = tabBar(panel, [
    ['Tree', () => treeOf(d, bytes)],
    ['Raw body', () => rawOf(d, bytes)],
    [
      'Model',
      () => (d.model === null ? h('p', { class: 'empty' }, 'Nothing was decoded.') : jsonTree(d.model, [])),
    ],
    ['Headers', () => headersOf(d)],
    ['Answer', () => h('pre', { class: 'code' }, prettyJson(d.answer))],
  ])
  return h(
    'article',
    { class: 'detail', 'data-seq': d.seq },
    h(
      'header',
      { class: 'detail-head' },
      h('h2', {}, h('span', { class: 'seq' }, `#${d.seq}`), ' ', title),
      h(
        'p',
        { class: 'meta' },
        [
          d.format === 'webhook' ? 'webhook' : d.format === 'post-hook' ? 'POST hook' : 'not a receiver path',
          d.conversationId === null ? null : `conversation ${d.conversationId}`,
          d.who,
          formatSize(d.size),
          formatDateTime(d.receivedAt),
          `${d.method} ${d.path}`,
        ]
          .filter((p) => p !== null)
          .join(' · '),
      ),
      d.conversationId === null || d.format === 'other-path'
        ? null
        : h(
            'a',
            {
              class: 'link-button',
              href: `#/conversations/${d.format === 'webhook' ? 'webhooks' : 'post-hook'}/${encodeURIComponent(d.conversationId)}`,
            },
            'Open its conversation →',
          ),
    ),
    h(
      'div',
      { class: 'cards' },
      ...cards.map(([name, look]) =>
        h(
          'div',
          { class: `card ${look.tone}`, 'data-card': name },
          h('h3', {}, name),
          chip(look),
          h('p', {}, look.detail),
        ),
      ),
    ),
    tabs,
    panel,
    d.kept
      ? actions(state, d)
      : h('p', { class: 'empty' }, 'The body was not kept: nothing to replay or download.'),
  )
}

function tabBar(panel: HTMLElement, tabs: readonly (readonly [string, () => Node])[]): HTMLElement {
  const bar = h('div', { class: 'tabs', role: 'tablist' })
  const buttons = tabs.map(([name, render], i) => {
    const b = h(
      'button',
      { type: 'button', role: 'tab', 'data-tab': name, 'aria-selected': String(i === 0) },
      name,
    )
    b.addEventListener('click', () => {
      for (const other of buttons) other.setAttribute('aria-selected', String(other === b))
      fill(panel, render())
    })
    return b
  })
  bar.append(...buttons)
  const first = tabs[0]
  if (first !== undefined) fill(panel, first[1]())
  return bar
}

function treeOf(d: DeliveryDetail, bytes: Uint8Array | null): Node {
  if (bytes === null) return h('p', { class: 'empty' }, 'The body was not kept.')
  const notes: TreeNote[] = []
  if (d.decode.kind === 'invalid')
    for (const i of d.decode.issues) notes.push({ path: i.path, message: i.message, kind: 'error' })
  if (d.decode.kind === 'decoded')
    for (const w of d.decode.warnings) notes.push({ path: w.path, message: w.message, kind: 'warning' })
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(bytes.length > 16_000_000 ? new Uint8Array(0) : bytes))
  } catch (e) {
    return h(
      'div',
      {},
      h('p', { class: 'error' }, `Not JSON, so there is no tree: ${(e as Error).message}`),
      ...notes.map((n) => h('p', { class: `note ${n.kind}` }, n.message)),
    )
  }
  const more =
    d.decode.kind === 'invalid' && d.decode.issueCount > d.decode.issues.length
      ? h(
          'p',
          { class: 'empty' },
          `${d.decode.issueCount - d.decode.issues.length} more issues are counted but not described.`,
        )
      : null
  return h('div', {}, jsonTree(value, notes), more)
}

function rawOf(d: DeliveryDetail, bytes: Uint8Array | null): Node {
  if (bytes === null) return h('p', { class: 'empty' }, 'The body was not kept.')
  const cut = bytes.length > MAX_SHOWN_BYTES
  const view = cut ? bytes.subarray(0, MAX_SHOWN_BYTES) : bytes
  let valid = true
  try {
    strictUtf8.decode(view)
  } catch {
    valid = false
  }
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'meta' },
      `${formatSize(d.size)} exactly as received${valid ? '' : ' (not valid UTF-8: shown with replacement characters; download it for the bytes)'}${cut ? `; the first ${formatSize(MAX_SHOWN_BYTES)} shown` : ''}`,
    ),
    h('pre', { class: 'code raw-body' }, utf8.decode(view)),
  )
}

function headersOf(d: DeliveryDetail): Node {
  return h(
    'table',
    { class: 'headers' },
    h('tbody', {}, ...d.headers.map(([name, value]) => h('tr', {}, h('th', {}, name), h('td', {}, value)))),
  )
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

function actions(state: AppState, d: DeliveryDetail): HTMLElement {
  const url = h('input', {
    type: 'url',
    class: 'replay-url',
    'aria-label': 'Replay to URL',
    value:
      d.format === 'post-hook'
        ? `${state.session.hookUrl.replace('?token=***', '')}${pageToken === null ? '' : `?token=${encodeURIComponent(pageToken)}`}`
        : state.session.webhookUrl,
  })
  const secret = h('select', { class: 'replay-secret', 'aria-label': 'Sign with' })
  if (d.format === 'webhook') {
    for (let i = 0; i < state.session.secretCount; i++) {
      secret.append(
        h(
          'option',
          { value: String(i) },
          state.session.secretCount === 1 ? 'signed with your secret' : `signed with secret ${i + 1}`,
        ),
      )
    }
  }
  secret.append(h('option', { value: '' }, 'unsigned'))
  const authentic = d.signature.kind === 'valid'
  const anyway = h('input', { type: 'checkbox', class: 'sign-anyway' })
  const anywayLabel = h(
    'label',
    { class: 'sign-anyway-label' },
    anyway,
    ' sign it anyway (it was not signed with your secret)',
  )
  anywayLabel.hidden = authentic || d.format !== 'webhook' || state.session.secretCount === 0
  const result = h('div', { class: 'action-result', 'aria-live': 'polite' })
  const choice = () => ({
    url: url.value,
    secret: secret.value === '' ? null : Number(secret.value),
    signAnyway: anyway.checked,
  })
  const replay = h('button', { type: 'button', class: 'primary replay' }, 'Replay')
  replay.addEventListener('click', async () => {
    replay.disabled = true
    fill(result, 'Sending…')
    try {
      const r = await api.replay(d.seq, choice())
      if ('error' in r) fill(result, h('span', { class: 'error' }, r.error))
      else {
        const look = statusLook(r.status)
        fill(
          result,
          chip(look),
          ` ${r.signed ? 'signed, ' : 'unsigned, '}answered ${r.status}`,
          h('pre', { class: 'code' }, r.answer),
        )
      }
    } catch (e) {
      fill(result, h('span', { class: 'error' }, (e as Error).message))
    } finally {
      replay.disabled = false
    }
  })
  const curl = h('button', { type: 'button', class: 'curl' }, 'Copy as curl')
  curl.addEventListener('click', async () => {
    try {
      const { command } = await api.curl(d.seq, choice())
      const shown = h('pre', { class: 'code curl-command' }, command)
      let copied = false
      try {
        await navigator.clipboard.writeText(command)
        copied = true
      } catch {
        copied = false
      }
      fill(result, h('span', {}, copied ? 'Copied to the clipboard:' : 'Copy this command:'), shown)
    } catch (e) {
      fill(result, h('span', { class: 'error' }, (e as Error).message))
    }
  })
  const download = h(
    'a',
    {
      class: 'button download',
      href: apiUrl(`deliveries/${d.seq}/body`, { download: '1' }),
      download: `delivery-${d.seq}.json`,
    },
    'Download raw bytes',
  )
  return h(
    'section',
    { class: 'actions' },
    h('h3', {}, 'Send it again'),
    h('div', { class: 'action-row' }, url, secret, replay, curl, download),
    anywayLabel,
    result,
  )
}
