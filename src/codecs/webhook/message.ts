import * as t from 'io-ts'
import { closedObject, Integer, nullable } from '../primitives.js'
import { IsoTimestamp } from './iso-timestamp.js'
import { WebhookId } from './webhook-id.js'

/**
 * `data.message.content` as an object: `{ "text": … }` (sometimes `{ "html": … }`) for bot and
 * trigger messages as seen; the REST API's form is `{ type, text, data }` (shared spec: content).
 */
export const WebhookMessageContentPayload = closedObject(
  'WebhookMessageContentPayload',
  {},
  { type: t.string, text: t.string, html: t.string, data: t.unknown },
)
export interface WebhookMessageContentPayload extends t.TypeOf<typeof WebhookMessageContentPayload> {}

/** `data.message.content`: a string for agent and contact messages, an object for bots and triggers. */
export const WebhookMessageContent = t.union(
  [t.string, WebhookMessageContentPayload],
  'string | WebhookMessageContentPayload',
)
export type WebhookMessageContent = t.TypeOf<typeof WebhookMessageContent>

/**
 * `data.message` (shared spec: `data.message` [seen]). `message_delivered` and
 * `message_delivery_failed` carry only the four required keys; replies carry the rest.
 */
export const WebhookMessagePayload = closedObject(
  'WebhookMessagePayload',
  {
    id: WebhookId,
    conversation_id: WebhookId,
    created_at: IsoTimestamp,
    updated_at: IsoTimestamp,
  },
  {
    sub_type: t.string,
    type: t.string,
    content: WebhookMessageContent,
    author_name: nullable(t.string),
    trigger_name: nullable(t.string),
    trigger_id: nullable(WebhookId),
    page_url: nullable(t.string),
    agent_id: nullable(WebhookId),
    visitor_id: nullable(WebhookId),
    delivery_status: nullable(t.string),
    delivered_at: nullable(IsoTimestamp),
    is_offline: t.boolean,
    is_reply: t.boolean,
    is_first_reply: t.boolean,
    response_time: nullable(Integer),
    attachments: t.UnknownArray,
  },
)
export interface WebhookMessagePayload extends t.TypeOf<typeof WebhookMessagePayload> {}
