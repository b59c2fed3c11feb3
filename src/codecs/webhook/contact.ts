import * as t from 'io-ts'
import { closedObject, nullable } from '../primitives.js'
import { IsoTimestamp } from './iso-timestamp.js'
import { WebhookId } from './webhook-id.js'

/** `data.contact` of the `contact.*` events (shared spec: `data.contact` [seen]). */
export const WebhookContactPayload = closedObject(
  'WebhookContactPayload',
  {
    id: WebhookId,
    created_at: IsoTimestamp,
    updated_at: IsoTimestamp,
  },
  {
    email: nullable(t.string),
    name: nullable(t.string),
    phone: nullable(t.string),
    note: nullable(t.string),
    banned_at: nullable(IsoTimestamp),
    banned_by: nullable(WebhookId),
    gdpr_approved: t.boolean,
    tags: t.UnknownArray,
    properties: t.UnknownRecord,
  },
)
export interface WebhookContactPayload extends t.TypeOf<typeof WebhookContactPayload> {}
