import { ChannelPayload } from './channel.js'
import { documentedKeys } from './codec-structure.js'
import { ConversationPayload } from './conversation.js'
import { LegacyMessagePayload, LegacyVisitorPayload } from './legacy.js'
import { MessagePayload } from './message.js'
import { PathPayload } from './path.js'
import { VisitorPayload, VisitorVariablePayload } from './visitor.js'

/**
 * The keys each documented object may carry, current and pre-2018 form, walked from the codecs
 * (internal): the decoder and the encoder tell a documented field from an unknown one by these.
 */
export const DOCUMENTED_KEYS = {
  conversation: documentedKeys(ConversationPayload),
  channel: documentedKeys(ChannelPayload),
  visitor: documentedKeys(VisitorPayload, LegacyVisitorPayload),
  variable: documentedKeys(VisitorVariablePayload),
  path: documentedKeys(PathPayload),
  message: documentedKeys(MessagePayload, LegacyMessagePayload),
} as const
