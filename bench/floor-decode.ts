/**
 * The floor of the current model, for `bench/focus.ts`: `JSON.parse`, a `typeof` check of every
 * documented field, and the objects the model needs (one per message, one `Date` per message and
 * two per conversation, the sender read from `from`, the ids as decimal strings), with none of the
 * decoder's duties: no unknown-field detection, no issues or paths, no pre-2018 forms, no options,
 * no own-properties check. It throws on anything unexpected. What the decoder costs above it is the price of those
 * duties (and of any inefficiency), measured in the same run.
 */
type Obj = Record<string, unknown>
const bad = (): never => {
  throw new Error('floor: unexpected payload')
}
const isObj = (u: unknown): u is Obj => u !== null && typeof u === 'object' && !Array.isArray(u)
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : bad())
const str = (v: unknown): string => (typeof v === 'string' ? v : bad())
const nstr = (v: unknown): string | null => (v === null || typeof v === 'string' ? v : bad())
const bool = (v: unknown): boolean => (typeof v === 'boolean' ? v : bad())

const SYSTEM = { kind: 'system' }
let lastFrom = ''
let lastSender: unknown = null

/** The sender, shared with the previous message of the same `from` (as the decoder does). */
function sender(from: string): unknown {
  if (from === lastFrom) return lastSender
  let s: unknown
  if (from.startsWith('visitor:')) s = { kind: 'visitor', key: from.slice(8) }
  else if (from.startsWith('agent:')) {
    const id = from.slice(6)
    int(Number(id))
    s = { kind: 'agent', id }
  } else s = from === 'system' ? SYSTEM : bad()
  lastFrom = from
  lastSender = s
  return s
}

export function floorParse(text: string): unknown {
  const u = JSON.parse(text) as Obj
  lastFrom = ''
  if (!isObj(u)) bad()
  const c = u.channel as Obj
  if (!isObj(c)) bad()
  const v = u.visitor as Obj
  if (!isObj(v)) bad()
  const rawVariables = v.variables as Obj
  if (!isObj(rawVariables)) bad()
  const variables: Obj = Object.create(null)
  for (const key of Object.keys(rawVariables)) {
    const e = rawVariables[key] as Obj
    if (!isObj(e)) bad()
    const value = e.value
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') bad()
    variables[key] = { label: str(e.label), value }
  }
  const rawPaths = u.paths as unknown[]
  if (!Array.isArray(rawPaths)) bad()
  const paths = rawPaths.map((p) => (isObj(p) ? { url: str(p.url), title: str(p.title) } : bad()))
  const list = u.messages as unknown[]
  if (!Array.isArray(list)) bad()
  const messages: unknown[] = []
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as Obj
    if (!isObj(m)) bad()
    const type = m.type
    const content = str(m.content)
    const sentAt = new Date(int(m.sentAt))
    const name = m.name === undefined ? null : str(m.name)
    const triggeredBy = nstr(m.triggeredBy)
    const s = sender(str(m.from))
    if (type === 'system') {
      messages.push({ kind: 'system', sender: s, name, content, sentAt, triggeredBy, event: content })
    } else if (type === 'visitor' || type === 'agent') {
      const kind = type === 'visitor' ? 'visitor' : triggeredBy === null ? 'agent' : 'trigger'
      messages.push({ kind, sender: s, name, content, sentAt, triggeredBy })
    } else bad()
  }
  const rating = c.rating === null ? null : { value: int(c.rating), comment: nstr(c.ratingDesc) }
  return {
    source: 'post-hook',
    id: String(int(c.id)),
    accountId: String(int(u.accountId)),
    beginAt: new Date(int(u.beginAt)),
    endAt: new Date(int(u.endAt)),
    flags: {
      isChat: bool(c.isChat),
      isMissed: bool(c.isMissed),
      isTriggered: bool(c.isTriggered),
      isOffline: bool(c.isOffline),
      isCompleted: bool(c.isCompleted),
      isDropped: bool(c.isDropped),
    },
    reported: {
      durationSeconds: int(c.duration),
      averageResponseSeconds: int(c.avgResponse),
      firstResponseSeconds: int(c.firstResponse),
      messageCount: int(c.messagesCount),
      wordCount: int(c.wordsCount),
    },
    rating,
    visitor: {
      id: String(int(v.id)),
      name: nstr(v.name),
      email: nstr(v.email),
      note: nstr(v.note),
      group: nstr(v.group),
      ipAddress: str(v.ipAddress),
      city: str(v.city),
      countryCode: str(v.countryCode),
      country: str(v.country),
      userAgent: str(v.userAgent),
      platform: str(v.platform),
      referer: str(v.referer),
      variables,
    },
    paths,
    messages,
    warnings: [],
    warningCount: 0,
    raw: u,
  }
}
