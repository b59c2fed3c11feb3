import * as t from 'io-ts'
import { ChannelPayload } from './channel.js'
import { MessageType } from './message.js'
import { PathPayload } from './path.js'
import { type ClosedObjectC, closedObject, EpochMillis, Integer, nullable } from './primitives.js'
import { VisitorPayload } from './visitor.js'

/**
 * Pre-November-2018 `messages[].from`: the bare visitor key, the agent id as a number, or `null`
 * for triggered and system messages (shared spec: older variants).
 */
export const LegacySenderRef = t.union([t.string, Integer, t.null], 'LegacySenderRef')
export type LegacySenderRef = t.TypeOf<typeof LegacySenderRef>

/** A message in the pre-2018 form, with its `email` field (usually null). */
const LegacyMessageCodec = closedObject(
  'LegacyMessagePayload',
  {
    type: MessageType,
    from: LegacySenderRef,
    content: t.string,
    sentAt: EpochMillis,
    triggeredBy: nullable(t.string),
  },
  { name: t.string, email: nullable(t.string) },
)
export interface LegacyMessagePayload extends t.TypeOf<typeof LegacyMessageCodec> {}
/** The codec type of `LegacyMessagePayload`, named so that hovers show the interface. */
export interface LegacyMessagePayloadC
  extends ClosedObjectC<
    typeof LegacyMessageCodec.required,
    typeof LegacyMessageCodec.optional,
    LegacyMessagePayload
  > {}
export const LegacyMessagePayload: LegacyMessagePayloadC = LegacyMessageCodec

const { group: _group, ...visitorProps } = VisitorPayload.required

/** The visitor in the pre-2018 form: `groupKey` where the current form has `group`. */
const LegacyVisitorCodec = closedObject('LegacyVisitorPayload', {
  ...visitorProps,
  groupKey: nullable(t.string),
})
export interface LegacyVisitorPayload extends t.TypeOf<typeof LegacyVisitorCodec> {}
/** The codec type of `LegacyVisitorPayload`, named so that hovers show the interface. */
export interface LegacyVisitorPayloadC
  extends ClosedObjectC<
    typeof LegacyVisitorCodec.required,
    typeof LegacyVisitorCodec.optional,
    LegacyVisitorPayload
  > {}
export const LegacyVisitorPayload: LegacyVisitorPayloadC = LegacyVisitorCodec

/** The whole body in the pre-2018 form. The lenient decoder reads it into the same model. */
const LegacyConversationCodec = closedObject('LegacyConversationPayload', {
  accountId: Integer,
  beginAt: EpochMillis,
  endAt: EpochMillis,
  channel: ChannelPayload,
  visitor: LegacyVisitorPayload,
  paths: t.array(PathPayload, 'PathPayload[]'),
  messages: t.array(LegacyMessagePayload, 'LegacyMessagePayload[]'),
})
export interface LegacyConversationPayload extends t.TypeOf<typeof LegacyConversationCodec> {}
/** The codec type of `LegacyConversationPayload`, named so that hovers show the interface. */
export interface LegacyConversationPayloadC
  extends ClosedObjectC<
    typeof LegacyConversationCodec.required,
    typeof LegacyConversationCodec.optional,
    LegacyConversationPayload
  > {}
export const LegacyConversationPayload: LegacyConversationPayloadC = LegacyConversationCodec
