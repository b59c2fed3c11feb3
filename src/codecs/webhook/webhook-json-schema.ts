import type { JsonSchema } from '../codec-structure.js'
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_FIELD_DESCRIPTIONS } from '../field-descriptions.js'
import { jsonSchemaOf } from '../json-schema.js'
import { WebhookEnvelopePayload, WebhookEventPayload } from './webhook-event.js'

/** Where the published webhook schemas live, as their `$id`s. */
export const WEBHOOK_SCHEMA_IDS = {
  event: 'https://unpkg.com/smartsupp-hook/schemas/webhook-event.json',
  openapi: 'https://unpkg.com/smartsupp-hook/schemas/openapi.json',
} as const

/** The `$defs` entry of the events whose name the spec does not know. */
export const UNKNOWN_WEBHOOK_EVENT = 'UnknownWebhookEvent'

/**
 * The JSON Schema (draft 2020-12) of a webhook body, walked from the webhook codecs: a `oneOf`
 * over each known event (a `$defs` entry named after it, `event` a const, `data` its codec) and
 * the unknown events (any other name, the envelope, any object as `data`), which decoding keeps.
 * It holds what strict decoding holds. Published as `smartsupp-hook/schemas/webhook-event.json`.
 */
export function webhookEventJsonSchema(): JsonSchema {
  const meta = { id: WEBHOOK_SCHEMA_IDS.event, title: 'Smartsupp webhook event' }
  const known = jsonSchemaOf(WebhookEventPayload, meta, WEBHOOK_FIELD_DESCRIPTIONS)
  const defs: Record<string, JsonSchema> = { ...(known.$defs as Record<string, JsonSchema>) }
  const names: string[] = []
  for (const member of known.anyOf as JsonSchema[]) {
    const name = (member.properties as { event: { const: string } }).event.const
    names.push(name)
    defs[name] = { title: name, description: WEBHOOK_EVENT_DESCRIPTIONS[name], ...member }
  }
  const envelope = jsonSchemaOf(WebhookEnvelopePayload, meta, WEBHOOK_FIELD_DESCRIPTIONS)
  const properties = envelope.properties as Record<string, JsonSchema>
  defs[UNKNOWN_WEBHOOK_EVENT] = {
    title: 'Unknown webhook event',
    description: 'An event name the spec does not know, with any object as data: accept it, never reject it.',
    type: envelope.type,
    properties: { ...properties, event: { ...properties.event, not: { enum: names } } },
    required: envelope.required,
    additionalProperties: envelope.additionalProperties,
  }
  return {
    $schema: known.$schema,
    $id: known.$id,
    title: known.title,
    description: known.description,
    oneOf: [...names, UNKNOWN_WEBHOOK_EVENT].map((name) => ({ $ref: `#/$defs/${name}` })),
    $defs: defs,
  }
}
