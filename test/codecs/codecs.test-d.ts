import type * as t from 'io-ts'
import {
  ConversationPayload,
  type MessagePayload,
  type PathPayload,
  type VisitorPayload,
  type VisitorVariablePayload,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

describe('codec types', () => {
  it('decode to the named interfaces', () => {
    type Decoded = t.TypeOf<typeof ConversationPayload>
    expectTypeOf<Decoded>().toEqualTypeOf<ConversationPayload>()
    expectTypeOf<Decoded['visitor']>().toEqualTypeOf<VisitorPayload>()
    expectTypeOf<Decoded['messages']>().toEqualTypeOf<MessagePayload[]>()
    expectTypeOf<Decoded['paths']>().toEqualTypeOf<PathPayload[]>()
    expectTypeOf<Decoded['visitor']['variables'][string]>().toEqualTypeOf<VisitorVariablePayload>()
    expectTypeOf<VisitorVariablePayload['value']>().toEqualTypeOf<string | number | boolean>()
  })

  it('keep their composable parts', () => {
    expectTypeOf(ConversationPayload.required.visitor.required.id).toExtend<t.Type<number, number, unknown>>()
    expectTypeOf(ConversationPayload.keys).toEqualTypeOf<ReadonlySet<string>>()
  })
})
