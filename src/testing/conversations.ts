import { decodeConversationOrThrow } from '../decode/or-throw.js'
import type { PostHookConversation } from '../model/conversation.js'
import { type FixtureName, fixtures } from './fixtures.js'

/** Each fixture, decoded: the same arguments, a `PostHookConversation` instead of a payload. */
export type DecodedFixtures = {
  readonly [Name in FixtureName]: (...args: Parameters<(typeof fixtures)[Name]>) => PostHookConversation
}

function decoded<Name extends FixtureName>(name: Name): DecodedFixtures[Name] {
  const fixture = fixtures[name] as (...args: unknown[]) => unknown
  // Lenient, as a receiver decodes by default: `legacy` and `futureFields` decode too.
  return ((...args: unknown[]) => decodeConversationOrThrow(fixture(...args))) as DecodedFixtures[Name]
}

/**
 * The fixtures already decoded, for tests of code that takes a `Conversation` (no
 * `decodeConversationOrThrow` around each): `conversations.missed()` is
 * `decodeConversationOrThrow(fixtures.missed())`, a fresh object on each call.
 */
export const conversations: DecodedFixtures = {
  documentedExample: decoded('documentedExample'),
  missed: decoded('missed'),
  offline: decoded('offline'),
  triggeredOnly: decoded('triggeredOnly'),
  transfer: decoded('transfer'),
  rated: decoded('rated'),
  unrated: decoded('unrated'),
  legacy: decoded('legacy'),
  futureFields: decoded('futureFields'),
  post2020Variables: decoded('post2020Variables'),
  large: decoded('large'),
}
