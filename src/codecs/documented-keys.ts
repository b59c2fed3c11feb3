import { ChannelPayload } from './channel.js'
import { ConversationPayload } from './conversation.js'
import { LegacyMessagePayload, LegacyVisitorPayload } from './legacy.js'
import { VisitorMessagePayload } from './message.js'
import { PathPayload } from './path.js'
import { VisitorPayload, VisitorVariablePayload } from './visitor.js'

const union = (...sets: ReadonlySet<string>[]): ReadonlySet<string> => new Set(sets.flatMap((s) => [...s]))

/**
 * The keys each documented object may carry, current and pre-2018 form, taken from the codecs
 * (internal): the decoder and the encoder tell a documented field from an unknown one by these.
 */
export const DOCUMENTED_KEYS = {
  conversation: ConversationPayload.keys,
  channel: ChannelPayload.keys,
  visitor: union(VisitorPayload.keys, LegacyVisitorPayload.keys),
  variable: VisitorVariablePayload.keys,
  path: PathPayload.keys,
  message: union(VisitorMessagePayload.keys, LegacyMessagePayload.keys),
} as const
