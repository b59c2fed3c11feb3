/**
 * smartsupp-hook/testing: fixtures, payload and webhook event builders, and ways to POST a payload or a
 * signed webhook event to your handler.
 * Nothing here needs fast-check; its arbitraries are in `smartsupp-hook/testing/arbitraries`.
 *
 * @module smartsupp-hook/testing
 */

export {
  type ConversationBuilder,
  type ConversationOptions,
  conversation,
  DEFAULT_GAP_MS,
  DEFAULT_START_AT,
  type EventOptions,
  type StepOptions,
} from './conversation-builder.js'
export { conversations, type DecodedFixtures } from './conversations.js'
export {
  type FixtureName,
  fixtures,
  LARGE_FIXTURE_MESSAGES,
  type Post2020VariablesPayload,
} from './fixtures.js'
export { toLegacyForm } from './legacy-form.js'
export type { PayloadPatch } from './payload-patch.js'
export {
  type FetchHandler,
  type NodeRequestListener,
  type NodeServerLike,
  type PostConversationOptions,
  type PostTarget,
  postConversation,
} from './post-conversation.js'
export { type PostWebhookEventOptions, postWebhookEvent } from './post-webhook-event.js'
export {
  type WebhookAgent,
  type WebhookConversationBuilder,
  type WebhookConversationOptions,
  type WebhookStepOptions,
  webhookConversation,
} from './webhook-conversation-builder.js'
export { type WebhookFixtureName, webhookFixtures } from './webhook-fixtures.js'
