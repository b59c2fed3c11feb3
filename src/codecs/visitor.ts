import * as t from 'io-ts'
import { type ClosedObjectC, closedObject, Integer, nullable } from './primitives.js'

/** One entry of `visitor.variables`: custom data the website passed to the chat box. */
const VisitorVariableCodec = closedObject('VisitorVariablePayload', {
  label: t.string,
  value: t.union([t.string, t.number, t.boolean], 'string | number | boolean'),
})
export interface VisitorVariablePayload extends t.TypeOf<typeof VisitorVariableCodec> {}
/** The codec type of `VisitorVariablePayload`, named so that hovers show the interface. */
export interface VisitorVariablePayloadC
  extends ClosedObjectC<
    typeof VisitorVariableCodec.required,
    typeof VisitorVariableCodec.optional,
    VisitorVariablePayload
  > {}
export const VisitorVariablePayload: VisitorVariablePayloadC = VisitorVariableCodec

/** `visitor.variables`: a map from the website's key to its labelled value. */
export const VisitorVariablesPayload: t.RecordC<t.StringC, VisitorVariablePayloadC> = t.record(
  t.string,
  VisitorVariablePayload,
  'VisitorVariablesPayload',
)
export type VisitorVariablesPayload = t.TypeOf<typeof VisitorVariablesPayload>

/**
 * `visitor`: who chatted. `id` is a number unrelated to the key in `messages[].from`; `city`
 * and `country` are passed on as Smartsupp sent them (the documented example swaps them).
 */
const VisitorCodec = closedObject('VisitorPayload', {
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
export interface VisitorPayload extends t.TypeOf<typeof VisitorCodec> {}
/** The codec type of `VisitorPayload`, named so that hovers show the interface. */
export interface VisitorPayloadC
  extends ClosedObjectC<typeof VisitorCodec.required, typeof VisitorCodec.optional, VisitorPayload> {}
export const VisitorPayload: VisitorPayloadC = VisitorCodec
