/**
 * smartsupp-hook/testing/arbitraries: fast-check arbitraries of Smartsupp payloads for property
 * tests. A subpath of its own because it loads fast-check (an optional peer), which the rest of
 * `smartsupp-hook/testing` never needs.
 */
import fc from 'fast-check'
import { type PayloadArbitraries, payloadArbitraries } from './payload-arbitraries.js'

export type {
  ConversationArbitraryOptions,
  FastCheckModule,
  PayloadArbitraries,
} from './payload-arbitraries.js'
export { payloadArbitraries }

const bound: PayloadArbitraries = payloadArbitraries(fc)

/**
 * Payloads that decode: in the current form without unknown fields, strict decoding accepts every
 * one; with `form: 'legacy'` or `unknownFields: true`, lenient decoding does. Options: `minMessages`,
 * `maxMessages` (default 0 … 12), `form` (`'current'` or `'legacy'`), `unknownFields`.
 */
export const conversationPayload: PayloadArbitraries['conversationPayload'] = bound.conversationPayload
/** Any single message in the current documented form. */
export const messagePayload: PayloadArbitraries['messagePayload'] = bound.messagePayload
/** A valid payload with up to three random changes; most results are invalid, some stay valid. */
export const mutatedPayload: PayloadArbitraries['mutatedPayload'] = bound.mutatedPayload
