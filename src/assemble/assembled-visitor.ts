import { appendKey } from '../decode/format-path.js'
import type { Report } from '../decode/report.js'
import type { Visitor } from '../model/conversation.js'
import type { ConversationFact, EventFact } from './event-fact.js'

type Told = keyof Omit<Visitor, 'note' | 'group' | 'userAgent' | 'platform'>

/** Where each visitor field comes from in `data.conversation`. */
const SOURCES: ReadonlyArray<readonly [Told, keyof ConversationFact]> = [
  ['id', 'visitorId'],
  ['name', 'contactName'],
  ['email', 'contactEmail'],
  ['ipAddress', 'locationIp'],
  ['city', 'locationCity'],
  ['countryCode', 'locationCode'],
  ['country', 'locationCountry'],
  ['referer', 'referer'],
  ['variables', 'variables'],
]

/**
 * The visitor as the events' `data.conversation` last told each field (internal); `note`,
 * `group`, `userAgent` and `platform` are never told by webhooks, so `null`. `null` when no event
 * told any field. Variables that are not a string, number or boolean are left out, with a warning.
 */
export function assembledVisitor(ordered: readonly EventFact[], w: Report): Visitor | null {
  const told: Partial<Record<Told, unknown>> = {}
  let any = false
  let variablesAt = -1
  for (let at = 0; at < ordered.length; at++) {
    const f = ordered[at] as EventFact
    const c = f.conversation
    if (c === null) continue
    for (const [field, source] of SOURCES) {
      const value = c[source]
      if (value === null) continue
      told[field] = value
      any = true
      if (field === 'variables') variablesAt = at
    }
  }
  if (!any) return null
  const variablesFact = (ordered[variablesAt] as EventFact | undefined)?.conversation
  for (const { key, value } of variablesFact?.skippedVariables ?? []) {
    w.deviation(
      appendKey(`[${variablesAt}].data.conversation.variables`, key),
      'invalid_type',
      'a string, a number or a boolean',
      value,
      'left out of visitor.variables',
    )
  }
  const text = (field: Told) => (told[field] as string | undefined) ?? null
  return {
    id: text('id'),
    name: text('name'),
    email: text('email'),
    note: null,
    group: null,
    ipAddress: text('ipAddress'),
    city: text('city'),
    countryCode: text('countryCode'),
    country: text('country'),
    userAgent: null,
    platform: null,
    referer: text('referer'),
    variables: (told.variables as Visitor['variables'] | undefined) ?? null,
  }
}
