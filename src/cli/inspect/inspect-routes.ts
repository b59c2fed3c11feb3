import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseConversation } from '../../decode/parse-conversation.js'
import { parseWebhookEvent } from '../../decode/webhook/parse-webhook-event.js'
import type { Conversation } from '../../model/conversation.js'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../receive/verify-webhook-signature.js'
import { assembleStored } from '../../store/export-finished.js'
import { errorMessage } from '../cli-error.js'
import { readResponseText } from '../read-response-text.js'
import { conversationView, dueAt, storedFields, timelineOf } from './conversation-view.js'
import type { JournalEntry } from './delivery-journal.js'
import { modelJson } from './delivery-verdicts.js'
import type { EventStreamHub } from './event-stream-hub.js'
import { type AccessRules, actionRefusal, deliveryRefusal, pageRefusal } from './inspect-access.js'
import type {
  ConversationDetail,
  ConversationItem,
  DeliveryDetail,
  InspectSession,
  ReplayResult,
  TimelineEvent,
} from './inspect-api-types.js'
import type { Inspector } from './inspector.js'
import { overviewOf } from './overview.js'
import { PAGE_FILES, type PageAssets, type PagePath } from './page-assets.js'
import { signedCurlCommand } from './signed-curl-command.js'

/** Headers of every answer to the page: a strict Content-Security-Policy (no inline script, nothing from elsewhere) and no sniffing, framing or referrer. */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const

/** The most conversations the list and the overview look at. */
const MAX_CONVERSATIONS = 200
/** A state-changing request's JSON body may be this large at most. */
const MAX_ACTION_BYTES = 16 * 1024
/** How much of a replay's answer is kept. */
const MAX_ANSWER_BYTES = 4096

/** Everything the routes serve from. */
export interface InspectRoutes {
  readonly inspector: Inspector
  readonly hub: EventStreamHub
  readonly assets: PageAssets
  readonly access: AccessRules
  readonly session: () => InspectSession
}

/**
 * The inspector's request handler: a POST to any path but `/api/…` is a delivery; `GET /` and
 * its assets are the page; `/api/…` is the page's JSON API and its event stream.
 */
export function inspectHandler(routes: InspectRoutes): (req: IncomingMessage, res: ServerResponse) => void {
  const assembled = new Map<string, { look: string; conversation: Conversation | { error: string } }>()

  /** A webhook conversation assembled from its stored events, cached while nothing changed. */
  const assemble = async (
    id: string,
    look: string,
  ): Promise<{
    conversation: Conversation | { error: string }
    events: Awaited<ReturnType<typeof routes.inspector.store.events>>
  }> => {
    const events = await routes.inspector.store.events(id)
    const cached = assembled.get(id)
    if (cached !== undefined && cached.look === look) return { conversation: cached.conversation, events }
    let conversation: Conversation | { error: string }
    try {
      conversation = assembleStored(id, events, 'lenient')
    } catch (e) {
      conversation = { error: errorMessage(e) }
    }
    if (assembled.size > 1000) assembled.clear()
    assembled.set(id, { look, conversation })
    return { conversation, events }
  }

  /** The latest decoded POST hook delivery of each conversation, newest first. */
  const postHookLatest = (): JournalEntry[] => {
    const latest = new Map<string, JournalEntry>()
    for (const e of routes.inspector.journal.entries()) {
      if (
        e.format === 'post-hook' &&
        e.conversationId !== null &&
        e.decode.kind === 'decoded' &&
        e.status === 200
      )
        latest.set(e.conversationId, e)
    }
    return [...latest.values()].sort((a, b) => b.seq - a.seq)
  }

  const postHookConversation = async (entry: JournalEntry): Promise<Conversation | { error: string }> => {
    const bytes = await routes.inspector.journal.body(entry.seq)
    if (bytes === null) return { error: 'the body of this delivery was not kept' }
    const decoded = parseConversation(bytes)
    return decoded._tag === 'Right' ? decoded.right : { error: decoded.left.message }
  }

  /** A delivery with its decoded model, decoded again from the kept body as it was the first time. */
  const detailOf = async (entry: JournalEntry): Promise<DeliveryDetail> => {
    const { occurredAt: _, ...detail } = entry
    const verdict = entry.decode
    if (verdict.kind !== 'decoded') return { ...detail, model: null }
    const bytes = await routes.inspector.journal.body(entry.seq)
    if (bytes === null) return { ...detail, model: null }
    const decoded = verdict.as === 'webhook' ? parseWebhookEvent(bytes) : parseConversation(bytes)
    return { ...detail, model: decoded._tag === 'Right' ? modelJson(decoded.right) : null }
  }

  const api = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => {
    const { inspector, hub } = routes
    const settings = inspector.settings
    const parts = path.split('/').slice(2) // ['deliveries', '3', 'body']
    const seqOf = (text: string | undefined): JournalEntry | undefined =>
      text !== undefined && /^\d{1,15}$/.test(text) ? inspector.journal.get(Number(text)) : undefined
    if (req.method === 'POST') {
      const refused = actionRefusal(req, routes.access)
      if (refused !== null) return json(res, refused.status, { error: refused.error })
      const entry = seqOf(parts[1])
      if (parts[0] !== 'deliveries' || entry === undefined || (parts[2] !== 'replay' && parts[2] !== 'curl'))
        return json(res, 404, { error: 'no such action' })
      const input = await readJson(req)
      if (input === null) return json(res, 400, { error: 'send a JSON object: { url, secret, signAnyway }' })
      const bytes = await inspector.journal.body(entry.seq)
      if (bytes === null) return json(res, 409, { error: `the body of delivery #${entry.seq} was not kept` })
      const target = typeof input.url === 'string' ? input.url : ''
      let url: URL
      try {
        url = new URL(target)
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
      } catch {
        return json(res, 400, { error: `${JSON.stringify(target)} is not an http: or https: URL` })
      }
      // A webhook is re-signed with the chosen --secret, but only an authentic one, unless asked
      // by name: signing a forged body would make it pass any receiver with that secret.
      let signature: string | null = null
      const secretIndex = input.secret
      if (entry.format === 'webhook' && typeof secretIndex === 'number') {
        const secret = settings.secrets[secretIndex]
        if (secret === undefined) return json(res, 400, { error: `there is no secret ${secretIndex + 1}` })
        if (entry.signature.kind !== 'valid' && input.signAnyway !== true) {
          return json(res, 409, {
            error: `delivery #${entry.seq} was not signed with your secret, so it is not signed now: tick "sign it anyway" if you mean to sign a body Smartsupp did not send`,
          })
        }
        signature = await signWebhookBody(bytes, secret)
      }
      if (parts[2] === 'curl')
        return json(res, 200, { command: signedCurlCommand(url.href, bytes, signature) })
      const result = await replay(url, bytes, signature)
      return json(res, 'error' in result ? 502 : 200, result)
    }
    if (req.method !== 'GET') return json(res, 405, { error: 'GET or POST' })
    switch (parts[0]) {
      case 'session':
        return json(res, 200, routes.session())
      case 'stream': {
        const ok = hub.add(res, { event: 'hello', data: { serverNow: new Date().toISOString() } })
        if (!ok) return json(res, 503, { error: 'too many pages are following this inspector' })
        return
      }
      case 'deliveries': {
        if (parts[1] === undefined) return json(res, 200, inspector.journal.list())
        const entry = seqOf(parts[1])
        if (entry === undefined) return json(res, 404, { error: `no delivery ${parts[1]}` })
        if (parts[2] === undefined) return json(res, 200, await detailOf(entry))
        if (parts[2] !== 'body') return json(res, 404, { error: 'no such page' })
        const bytes = await inspector.journal.body(entry.seq)
        if (bytes === null)
          return json(res, 404, { error: `the body of delivery #${entry.seq} was not kept` })
        const download = query.get('download') === '1'
        res.writeHead(200, {
          ...PAGE_HEADERS,
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.length),
          'content-security-policy': "default-src 'none'; sandbox",
          ...(download ? { 'content-disposition': `attachment; filename="delivery-${entry.seq}.json"` } : {}),
        })
        return void res.end(bytes)
      }
      case 'conversations': {
        if (parts[1] === undefined) return json(res, 200, await conversationList())
        const id = decodedPart(parts.slice(2).join('/'))
        if (id === null)
          return json(res, 400, {
            error:
              'the conversation id in the address is not valid percent-encoding: encode it with encodeURIComponent',
          })
        if (parts[1] === 'webhooks') return json(res, 200, await webhookConversation(id))
        if (parts[1] === 'post-hook') {
          const detail = await postHookDetail(id)
          return detail === null
            ? json(res, 404, { error: `no POST hook conversation ${id}` })
            : json(res, 200, detail)
        }
        return json(res, 404, { error: 'no such page' })
      }
      case 'overview': {
        const list = await inspector.store.conversations({ limit: MAX_CONVERSATIONS })
        const conversations: Conversation[] = []
        for (const c of list) {
          const { conversation } = await assemble(c.conversationId, lookOf(c))
          if (!('error' in conversation)) conversations.push(conversation)
        }
        const hooks = postHookLatest().slice(0, MAX_CONVERSATIONS)
        for (const e of hooks) {
          const c = await postHookConversation(e)
          if (!('error' in c)) conversations.push(c)
        }
        return json(res, 200, overviewOf(conversations, list.length + hooks.length, inspector.journal.list()))
      }
      default:
        return json(res, 404, { error: 'no such page' })
    }
  }

  const conversationList = async (): Promise<ConversationItem[]> => {
    const { inspector } = routes
    const { settleMs, quietMs } = inspector.settings
    const titles = new Map<string, string>()
    for (const e of inspector.journal.entries()) {
      if (e.conversationId !== null && e.who !== null && !titles.has(e.conversationId))
        titles.set(e.conversationId, e.who)
    }
    const stored = await inspector.store.conversations({ limit: MAX_CONVERSATIONS })
    const items: ConversationItem[] = stored.map((c) => ({
      source: 'webhooks',
      id: c.conversationId,
      state: c.state,
      dueAt: inspector.settings.exports ? (dueAt(c, settleMs, quietMs)?.toISOString() ?? null) : null,
      eventCount: c.eventCount,
      lastAt: c.lastReceivedAt.toISOString(),
      title: titles.get(c.conversationId) ?? null,
    }))
    for (const e of postHookLatest()) {
      items.push({
        source: 'post-hook',
        id: e.conversationId as string,
        state: null,
        dueAt: null,
        eventCount: 1,
        lastAt: e.receivedAt,
        title: e.who,
      })
    }
    return items.sort((a, b) => b.lastAt.localeCompare(a.lastAt))
  }

  const webhookConversation = async (id: string): Promise<ConversationDetail> => {
    const { inspector } = routes
    const stored = await inspector.store.conversation(id)
    const journal = inspector.journal
      .entries()
      .filter((e) => e.format === 'webhook' && e.conversationId === id)
    const { conversation, events } =
      stored === null ? { conversation: null, events: [] } : await assemble(id, lookOf(stored))
    return {
      source: 'webhooks',
      id,
      stored: stored === null ? null : storedFields(stored),
      state: stored?.state ?? null,
      // Only when inspect exports: a store of yours goes by your receivers' settle period.
      dueAt:
        stored === null || !inspector.settings.exports
          ? null
          : (dueAt(stored, inspector.settings.settleMs, inspector.settings.quietMs)?.toISOString() ?? null),
      timeline: timelineOf(events, journal),
      conversation:
        conversation === null
          ? null
          : 'error' in conversation
            ? conversation
            : conversationView(conversation),
      exports: inspector.exportsOf(id),
      serverNow: new Date().toISOString(),
    }
  }

  const postHookDetail = async (id: string): Promise<ConversationDetail | null> => {
    const entries = routes.inspector.journal
      .entries()
      .filter((e) => e.format === 'post-hook' && e.conversationId === id)
    const latest = entries.filter((e) => e.decode.kind === 'decoded' && e.status === 200).at(-1)
    if (latest === undefined) return null
    const conversation = await postHookConversation(latest)
    const timeline: TimelineEvent[] = entries.map((e, i) => ({
      key: e.key,
      event: 'conversation',
      occurredAt: e.receivedAt,
      receivedAt: e.receivedAt,
      arrival: i + 1,
      late: false,
      deliveries: [e.seq],
      size: e.size,
      poisoned: null,
      stored: e.status === 200,
      text: e.duplicateOf === null ? null : `re-delivery of #${e.duplicateOf}`,
    }))
    return {
      source: 'post-hook',
      id,
      stored: null,
      state: null,
      dueAt: null,
      timeline,
      conversation: 'error' in conversation ? conversation : conversationView(conversation),
      exports: [],
      serverNow: new Date().toISOString(),
    }
  }

  return (req, res) => {
    const handle = async () => {
      const url = new URL(req.url ?? '/', 'http://inspect.invalid')
      const path = url.pathname
      const isApi = path === '/api' || path.startsWith('/api/')
      // A delivery: to a receiver, or to another path (kept too: it is what Smartsupp was given).
      if (!isApi && req.method === 'POST') {
        // Another site's page posting through the browser: not Smartsupp, refused unread and unkept.
        const refused = deliveryRefusal(req)
        if (refused !== null) {
          req.resume()
          return json(res, refused.status, { error: refused.error }, { connection: 'close' })
        }
        return routes.inspector.receive(req, res)
      }
      if (!isApi && req.method !== 'GET' && req.method !== 'HEAD') {
        req.resume()
        return json(res, 405, { error: 'POST a delivery here' }, { allow: 'POST' })
      }
      const refused = pageRefusal(req, routes.access, path === '/' || isApi)
      if (refused !== null) {
        req.resume()
        return json(res, refused.status, { error: refused.error })
      }
      if (isApi) return api(req, res, path, url.searchParams)
      req.resume()
      const asset = Object.hasOwn(PAGE_FILES, path) ? routes.assets.get(path as PagePath) : undefined
      if (asset === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
        return json(res, 404, {
          error:
            'Not here: the page is at /, webhooks go to /webhooks/smartsupp, POST hook conversations to /hook',
        })
      }
      res.writeHead(200, {
        ...PAGE_HEADERS,
        'content-type': asset.type,
        'content-length': String(asset.body.length),
      })
      res.end(req.method === 'HEAD' ? undefined : asset.body)
    }
    handle().catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed)
        json(res, 500, { error: `the inspector failed: ${errorMessage(e)}` })
      else res.destroy()
    })
  }
}

/** A percent-encoded part of an address, decoded; `null` when it is malformed (`%E0`, `%zz`). */
function decodedPart(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

function lookOf(c: { eventCount: number; lastReceivedAt: Date }): string {
  return `${c.eventCount}|${c.lastReceivedAt.getTime()}`
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

/** A small JSON object from a request body, or `null` when it is not one (or is too large). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_ACTION_BYTES) return null
    chunks.push(chunk)
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/** POSTs the exact bytes to `url`, signed when `signature` is given; redirects are not followed. */
async function replay(url: URL, bytes: Uint8Array, signature: string | null): Promise<ReplayResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (signature !== null) headers[WEBHOOK_SIGNATURE_HEADER] = signature
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: bytes as BufferSource,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    })
    const shown = await readResponseText(response, MAX_ANSWER_BYTES)
    return { status: response.status, answer: shown.text, signed: signature !== null }
  } catch (e) {
    return { error: `no answer from ${url.href}: ${errorMessage((e as { cause?: unknown }).cause ?? e)}` }
  }
}
