import * as t from 'io-ts'
import { type ClosedObjectC, closedObject } from './primitives.js'

/** One entry of `paths`: a page the visitor went through. */
const PathCodec = closedObject('PathPayload', {
  url: t.string,
  title: t.string,
})
export interface PathPayload extends t.TypeOf<typeof PathCodec> {}
/** The codec type of `PathPayload`, named so that hovers show the interface. */
export interface PathPayloadC
  extends ClosedObjectC<typeof PathCodec.required, typeof PathCodec.optional, PathPayload> {}
export const PathPayload: PathPayloadC = PathCodec
