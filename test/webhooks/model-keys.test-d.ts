import type {
  AgentAssignedData,
  AgentAssignedDataPayload,
  AgentPresenceData,
  AgentPresenceDataPayload,
  ContactEventData,
  ContactEventDataPayload,
  ConversationClosedData,
  ConversationClosedDataPayload,
  ConversationEventData,
  ConversationEventDataPayload,
  ConversationRatedData,
  ConversationRatedDataPayload,
  MessageDeliveryData,
  MessageDeliveryDataPayload,
  ReplyData,
  ReplyDataPayload,
  WebhookChannel,
  WebhookChannelPayload,
  WebhookContact,
  WebhookContactPayload,
  WebhookConversation,
  WebhookConversationPayload,
  WebhookMessage,
  WebhookMessagePayload,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

// The model's keys follow from the codecs' keys: camelCase, the decoder's renames (units and
// meaning), minus the wire keys a model combines, plus what it combines them into. A field added
// to a codec and not to the model (or the other way round) fails here.
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S
type Renamed<K extends string> = K extends 'response_time'
  ? 'responseTimeSeconds'
  : K extends 'assigned'
    ? 'assignedAgentId'
    : Camel<K>
type ModelKeys<Payload, Skip extends string = never, Adds extends string = never> =
  | Renamed<Exclude<keyof Payload & string, Skip>>
  | Adds

describe('model keys derived from the codecs', () => {
  it('objects', () => {
    expectTypeOf<keyof WebhookConversation>().toEqualTypeOf<
      ModelKeys<WebhookConversationPayload, 'rating' | 'rating_text', 'rating'>
    >()
    expectTypeOf<keyof WebhookMessage>().toEqualTypeOf<
      ModelKeys<WebhookMessagePayload, 'content', 'text' | 'content' | 'sender'>
    >()
    expectTypeOf<keyof WebhookContact>().toEqualTypeOf<ModelKeys<WebhookContactPayload>>()
    expectTypeOf<keyof WebhookChannel>().toEqualTypeOf<ModelKeys<WebhookChannelPayload>>()
  })

  it('event data', () => {
    expectTypeOf<keyof ConversationEventData>().toEqualTypeOf<ModelKeys<ConversationEventDataPayload>>()
    expectTypeOf<keyof ConversationClosedData>().toEqualTypeOf<ModelKeys<ConversationClosedDataPayload>>()
    expectTypeOf<keyof ConversationRatedData>().toEqualTypeOf<
      ModelKeys<ConversationRatedDataPayload, 'rating_value' | 'rating_text', 'rating'>
    >()
    expectTypeOf<keyof AgentAssignedData>().toEqualTypeOf<ModelKeys<AgentAssignedDataPayload>>()
    expectTypeOf<keyof AgentPresenceData>().toEqualTypeOf<ModelKeys<AgentPresenceDataPayload>>()
    expectTypeOf<keyof ReplyData>().toEqualTypeOf<ModelKeys<ReplyDataPayload>>()
    expectTypeOf<keyof MessageDeliveryData>().toEqualTypeOf<ModelKeys<MessageDeliveryDataPayload>>()
    expectTypeOf<keyof ContactEventData>().toEqualTypeOf<ModelKeys<ContactEventDataPayload>>()
  })
})
