import * as t from 'io-ts'
import { type ClosedObjectC, closedObject, Integer, nullable } from './primitives.js'

/**
 * `channel`: the conversation itself, with Smartsupp's flags and reported figures. Durations
 * are whole seconds, rounded down (shared spec: channel.duration, avgResponse, firstResponse).
 */
const ChannelCodec = closedObject('ChannelPayload', {
  id: Integer,
  isChat: t.boolean,
  isMissed: t.boolean,
  isTriggered: t.boolean,
  isOffline: t.boolean,
  isCompleted: t.boolean,
  isDropped: t.boolean,
  duration: Integer,
  avgResponse: Integer,
  firstResponse: Integer,
  messagesCount: Integer,
  wordsCount: Integer,
  rating: nullable(Integer),
  ratingDesc: nullable(t.string),
})
export interface ChannelPayload extends t.TypeOf<typeof ChannelCodec> {}
/** The codec type of `ChannelPayload`, named so that hovers show the interface. */
export interface ChannelPayloadC
  extends ClosedObjectC<typeof ChannelCodec.required, typeof ChannelCodec.optional, ChannelPayload> {}
export const ChannelPayload: ChannelPayloadC = ChannelCodec
