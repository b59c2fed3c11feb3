import type { ConversationPayload } from '../codecs/conversation.js'
import type { LegacyConversationPayload, LegacyMessagePayload } from '../codecs/legacy.js'

/**
 * A current-form payload rewritten in the pre-2018 form (shared spec: older variants): bare
 * visitor keys, numeric agent ids and `null` for the system in `from`, `visitor.groupKey`, and
 * `email: null` on every message. The input is not changed.
 */
export function toLegacyForm(payload: ConversationPayload): LegacyConversationPayload {
  const { group, ...visitor } = structuredClone(payload.visitor)
  const messages = payload.messages.map((m): LegacyMessagePayload => {
    const from =
      m.from === 'system' ? null : m.from.startsWith('agent:') ? Number(m.from.slice(6)) : m.from.slice(8)
    return { ...structuredClone(m), from, email: null }
  })
  return { ...structuredClone(payload), visitor: { ...visitor, groupKey: group }, messages }
}
