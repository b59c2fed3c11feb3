import * as t from 'io-ts'
import { closedObject } from './primitives.js'

/** One entry of `paths`: a page the visitor went through. */
export const PathPayload = closedObject('PathPayload', {
  url: t.string,
  title: t.string,
})
export interface PathPayload extends t.TypeOf<typeof PathPayload> {}
