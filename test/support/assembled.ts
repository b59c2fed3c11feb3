import type { AssembledConversation, ConversationBase } from 'smartsupp-hook'

/**
 * The fields every conversation has, as an `AssembledConversation` (built by hand: the
 * assembler is tested on its own). `overrides` replaces any field, such as ids that are not numbers.
 */
export function asAssembled(
  c: ConversationBase,
  overrides: Partial<AssembledConversation> = {},
): AssembledConversation {
  const base: ConversationBase = {
    id: c.id,
    accountId: c.accountId,
    beginAt: c.beginAt,
    endAt: c.endAt,
    flags: c.flags,
    reported: c.reported,
    rating: c.rating,
    visitor: c.visitor,
    paths: c.paths,
    messages: c.messages,
    warnings: c.warnings,
    warningCount: c.warningCount,
  }
  return { ...base, source: 'webhooks', events: [], closedAt: null, closedBy: null, ...overrides }
}
