import type {
  ConversationDetail,
  ConversationItem,
  DeliveryDetail,
  DeliverySummary,
  InspectSession,
  Overview,
  ReplayResult,
} from '../inspect-api-types.js'

/** The `--token` from the page's address, sent with every request (`null` when there is none). */
export const pageToken = new URLSearchParams(location.search).get('token')

/** A path of the API, with `?token=` when the page has one (for links and the event stream). */
export function apiUrl(path: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(query)
  if (pageToken !== null) params.set('token', pageToken)
  const text = params.toString()
  return `/api/${path}${text === '' ? '' : `?${text}`}`
}

let actionToken: string | null = null

async function get<T>(path: string): Promise<T> {
  const headers: Record<string, string> = {}
  if (pageToken !== null) headers['x-inspect-token'] = pageToken
  const response = await fetch(`/api/${path}`, { headers, cache: 'no-store' })
  if (!response.ok) throw new Error(await errorOf(response))
  return (await response.json()) as T
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inspect-token': actionToken ?? '' },
    body: JSON.stringify(body),
  })
  const value = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as
    | T
    | { error: string }
  if (
    !response.ok &&
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    !('status' in value)
  ) {
    throw new Error((value as { error: string }).error)
  }
  return value as T
}

async function errorOf(response: Response): Promise<string> {
  try {
    const value = (await response.json()) as { error?: unknown }
    return typeof value.error === 'string' ? value.error : `HTTP ${response.status}`
  } catch {
    return `HTTP ${response.status}`
  }
}

/** The page's calls to its inspector. */
export const api = {
  async session(): Promise<InspectSession> {
    const session = await get<InspectSession>('session')
    actionToken = session.actionToken
    return session
  },
  deliveries: () => get<DeliverySummary[]>('deliveries'),
  delivery: (seq: number) => get<DeliveryDetail>(`deliveries/${seq}`),
  async body(seq: number): Promise<Uint8Array> {
    const headers: Record<string, string> = {}
    if (pageToken !== null) headers['x-inspect-token'] = pageToken
    const response = await fetch(`/api/deliveries/${seq}/body`, { headers, cache: 'no-store' })
    if (!response.ok) throw new Error(await errorOf(response))
    return new Uint8Array(await response.arrayBuffer())
  },
  conversations: () => get<ConversationItem[]>('conversations'),
  conversation: (source: string, id: string) =>
    get<ConversationDetail>(`conversations/${source}/${encodeURIComponent(id)}`),
  overview: () => get<Overview>('overview'),
  replay: (seq: number, body: { url: string; secret: number | null; signAnyway: boolean }) =>
    post<ReplayResult>(`deliveries/${seq}/replay`, body),
  curl: (seq: number, body: { url: string; secret: number | null; signAnyway: boolean }) =>
    post<{ command: string }>(`deliveries/${seq}/curl`, body),
}
