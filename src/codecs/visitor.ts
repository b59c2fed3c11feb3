import * as t from 'io-ts'
import { closedObject, Integer, nullable } from './primitives.js'

/** One entry of `visitor.variables`: custom data the website passed to the chat box. */
export const VisitorVariablePayload = closedObject('VisitorVariablePayload', {
  label: t.string,
  value: t.union([t.string, t.number, t.boolean], 'string | number | boolean'),
})
export interface VisitorVariablePayload extends t.TypeOf<typeof VisitorVariablePayload> {}

/** `visitor.variables`: a map from the website's key to its labelled value. */
export const VisitorVariablesPayload = t.record(t.string, VisitorVariablePayload, 'VisitorVariablesPayload')
export type VisitorVariablesPayload = t.TypeOf<typeof VisitorVariablesPayload>

/**
 * `visitor`: who chatted. `id` is a number unrelated to the key in `messages[].from`; `city`
 * and `country` are passed on as Smartsupp sent them (the documented example swaps them).
 */
export const VisitorPayload = closedObject('VisitorPayload', {
  id: Integer,
  name: nullable(t.string),
  email: nullable(t.string),
  note: nullable(t.string),
  group: nullable(t.string),
  ipAddress: t.string,
  city: t.string,
  countryCode: t.string,
  country: t.string,
  userAgent: t.string,
  platform: t.string,
  referer: t.string,
  variables: VisitorVariablesPayload,
})
export interface VisitorPayload extends t.TypeOf<typeof VisitorPayload> {}
