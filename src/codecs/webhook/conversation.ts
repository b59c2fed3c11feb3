import * as t from 'io-ts'
import { closedObject, Integer, nullable } from '../primitives.js'
import { IsoTimestamp } from './iso-timestamp.js'
import { WebhookId } from './webhook-id.js'

/** `data.conversation.channel`: `{ "type": "chat" }` as seen; the REST API also has `default`, `email`, `facebook`. */
export const WebhookChannelPayload = closedObject('WebhookChannelPayload', { type: t.string })
export interface WebhookChannelPayload extends t.TypeOf<typeof WebhookChannelPayload> {}

/**
 * `data.conversation` of a webhook event (shared spec: `data.conversation` [seen]). Only `id`,
 * `created_at` and `updated_at` are required: fields come and go between events, and an absent
 * field means the same as `null`, "not told". Unknown keys fail this codec (the strict contract).
 */
export const WebhookConversationPayload = closedObject(
  'WebhookConversationPayload',
  {
    id: WebhookId,
    created_at: IsoTimestamp,
    updated_at: IsoTimestamp,
  },
  {
    ext_id: nullable(t.string),
    subject: nullable(t.string),
    status: t.string,
    unread: t.boolean,
    is_offline: t.boolean,
    is_served: t.boolean,
    contact_id: nullable(WebhookId),
    visitor_id: nullable(WebhookId),
    finished_at: nullable(IsoTimestamp),
    last_message_at: nullable(IsoTimestamp),
    last_closed_at: nullable(IsoTimestamp),
    domain: nullable(t.string),
    referer: nullable(t.string),
    channel: WebhookChannelPayload,
    last_message_text: nullable(t.string),
    tags: t.UnknownArray,
    variables: t.UnknownRecord,
    assigned_agent_ids: t.array(WebhookId, 'WebhookId[]'),
    rating: nullable(Integer),
    rating_text: nullable(t.string),
    close_type: nullable(t.string),
    closed_by_agent_id: nullable(WebhookId),
    contact_name: nullable(t.string),
    contact_email: nullable(t.string),
    contact_avatar_url: nullable(t.string),
    location_country: nullable(t.string),
    location_city: nullable(t.string),
    location_ip: nullable(t.string),
    location_code: nullable(t.string),
  },
)
export interface WebhookConversationPayload extends t.TypeOf<typeof WebhookConversationPayload> {}
