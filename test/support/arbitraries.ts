// The project's own property tests use the public arbitraries, as users do.
import {
  conversationPayload,
  messagePayload as messagePayloadOf,
  mutatedPayload,
} from 'smartsupp-hook/testing/arbitraries'

/** Any message in the current documented form. */
export const messagePayload = messagePayloadOf()
export { conversationPayload, mutatedPayload }
