import { appendKey } from '../decode/format-path.js'
import type { Report } from '../decode/report.js'
import type { Visitor } from '../model/conversation.js'
import type { ConversationFact, EventFact } from './event-fact.js'
import { NO_VARIABLES } from './no-variables.js'

/**
 * The visitor as the events' `data.conversation` last told each field (internal); `note`,
 * `group`, `userAgent` and `platform` are never told by webhooks, so `null`. `null` when no event
 * told any field. Variables that are not a string, number or boolean are left out, with a warning.
 */
export function assembledVisitor(ordered: readonly EventFact[], w: Report): Visitor | null {
  // Latest told wins: the events are in time order. Plain variables, not a table of fields: this
  // runs once per event of conversations that can have thousands.
  let id: string | null = null
  let name: string | null = null
  let email: string | null = null
  let ipAddress: string | null = null
  let city: string | null = null
  let countryCode: string | null = null
  let country: string | null = null
  let referer: string | null = null
  let variables: Visitor['variables'] = null
  let variablesAt = -1
  let any = false
  for (let at = 0; at < ordered.length; at++) {
    const c = (ordered[at] as EventFact).conversation
    if (c === null) continue
    if (c.visitorId !== null) id = c.visitorId
    if (c.contactName !== null) name = c.contactName
    if (c.contactEmail !== null) email = c.contactEmail
    if (c.locationIp !== null) ipAddress = c.locationIp
    if (c.locationCity !== null) city = c.locationCity
    if (c.locationCode !== null) countryCode = c.locationCode
    if (c.locationCountry !== null) country = c.locationCountry
    if (c.referer !== null) referer = c.referer
    if (c.variables !== null) {
      variables = c.variables
      variablesAt = at
    }
    any ||= told(c)
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
  return {
    id,
    name,
    email,
    note: null,
    group: null,
    ipAddress,
    city,
    countryCode,
    country,
    userAgent: null,
    platform: null,
    referer,
    // A fresh empty object for variables told but empty (they share one while assembling).
    variables: variables === NO_VARIABLES ? Object.create(null) : variables,
  }
}

/** Whether `data.conversation` told any visitor field. */
function told(c: ConversationFact): boolean {
  return (
    c.visitorId !== null ||
    c.contactName !== null ||
    c.contactEmail !== null ||
    c.locationIp !== null ||
    c.locationCity !== null ||
    c.locationCode !== null ||
    c.locationCountry !== null ||
    c.referer !== null ||
    c.variables !== null
  )
}
