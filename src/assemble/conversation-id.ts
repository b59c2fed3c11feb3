import type { Report } from '../decode/report.js'
import type { EventFact } from './event-fact.js'
import { failWith } from './read-event-fact.js'

/**
 * The one conversation id the events carry (internal), or `undefined` after reporting, at each
 * event's path, every id that differs from the expected one (`conversationId` when given, else
 * the first id in the caller's order) or, when no event carries one, where it was missing.
 */
export function conversationIdOf(
  facts: readonly EventFact[],
  conversationId: string | undefined,
  r: Report,
): string | undefined {
  let expected = conversationId
  let source = 'options.conversationId'
  for (const f of facts) {
    const first = f.ids[0]
    if (expected === undefined && first !== undefined) {
      expected = first.id
      source = `[${f.input}].${first.path}`
    }
    for (const carried of f.ids) {
      if (carried.id === expected) continue
      r.error(
        `[${f.input}].${carried.path}`,
        'invalid_type',
        `${JSON.stringify(expected)}, the conversation id at ${source}`,
        carried.id,
        conversationId === undefined
          ? 'these are events of more than one conversation: group events by conversation id before assembling'
          : 'assemble only the events of options.conversationId: leave the others out',
      )
    }
  }
  if (r.errorCount > 0) return undefined
  if (expected !== undefined && facts.some((f) => f.ids.length > 0)) return expected
  const telling = facts.filter((f) => f.tells)
  if (telling.length === 0) {
    failWith(
      r,
      '',
      'missing',
      'at least one conversation.* event (contact.* and unknown events do not say which conversation)',
      `${facts.length} event${facts.length === 1 ? '' : 's'}, none of them a known conversation.* event`,
    )
  }
  for (const f of telling) {
    r.error(`[${f.input}].${idPath(f.name)}`, 'missing', 'the conversation id (a string)', undefined)
  }
  return undefined
}

/** Where an event of this name carries its conversation id (shared spec: Events). */
function idPath(name: string): string {
  switch (name) {
    case 'conversation.agent_joined':
    case 'conversation.agent_left':
      return 'data.conversation_id'
    case 'conversation.message_delivered':
    case 'conversation.message_delivery_failed':
      return 'data.message.conversation_id'
    default:
      return 'data.conversation.id'
  }
}
