import * as t from 'io-ts'
import { ChannelPayload } from './channel.js'
import { MessagePayload } from './message.js'
import { PathPayload } from './path.js'
import { type ClosedObjectC, closedObject, EpochMillis, Integer } from './primitives.js'
import { VisitorPayload } from './visitor.js'

/**
 * The whole body of the POST hook in its current (post-2018) documented form. Unknown keys fail
 * this codec: it is the strict contract. `decodeConversation` is the lenient, fast way in.
 */
const ConversationCodec = closedObject('ConversationPayload', {
  accountId: Integer,
  beginAt: EpochMillis,
  endAt: EpochMillis,
  channel: ChannelPayload,
  visitor: VisitorPayload,
  paths: t.array(PathPayload, 'PathPayload[]'),
  messages: t.array(MessagePayload, 'MessagePayload[]'),
})
export interface ConversationPayload extends t.TypeOf<typeof ConversationCodec> {}
/** The codec type of `ConversationPayload`, named so that hovers show the interface. */
export interface ConversationPayloadC
  extends ClosedObjectC<
    typeof ConversationCodec.required,
    typeof ConversationCodec.optional,
    ConversationPayload
  > {}
export const ConversationPayload: ConversationPayloadC = ConversationCodec
