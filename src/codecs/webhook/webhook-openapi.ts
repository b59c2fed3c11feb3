import type { JsonSchema } from '../codec-structure.js'
import { WEBHOOK_EVENT_DESCRIPTIONS } from '../field-descriptions.js'
import { WEBHOOK_EVENT_DATA } from './webhook-event.js'
import { WEBHOOK_SCHEMA_IDS, webhookEventJsonSchema } from './webhook-json-schema.js'

/** `#/$defs/X` → `#/components/schemas/X`, everywhere in a JSON value. */
function toComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponents)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${v.slice('#/$defs/'.length)}`
        : toComponents(v)
  }
  return out
}

/** `conversation.agent_replied` → `conversationAgentReplied`. */
const operationId = (event: string) => event.replace(/[._]([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * An OpenAPI 3.1 document of the webhooks, derived from the same codecs as
 * `webhookEventJsonSchema`: one `webhooks` entry per known event (a POST whose body is that
 * event's schema, signed in `X-Smartsupp-Hmac`), answered 200 (handled) or anything else
 * (re-delivered later). Published as `smartsupp-hook/schemas/openapi.json`.
 */
export function webhookOpenApiDocument(): JsonSchema {
  const schema = webhookEventJsonSchema()
  const schemas = toComponents({
    WebhookEvent: { title: schema.title, description: schema.description, oneOf: schema.oneOf },
    ...(schema.$defs as Record<string, JsonSchema>),
  })
  const webhooks: Record<string, JsonSchema> = {}
  for (const event of Object.keys(WEBHOOK_EVENT_DATA)) {
    webhooks[event] = {
      post: {
        operationId: operationId(event),
        summary: WEBHOOK_EVENT_DESCRIPTIONS[event],
        tags: [event.slice(0, event.indexOf('.'))],
        parameters: [{ $ref: '#/components/parameters/SmartsuppHmac' }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${event}` } } },
        },
        responses: {
          '200': { $ref: '#/components/responses/Handled' },
          default: { $ref: '#/components/responses/Redelivered' },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    $id: WEBHOOK_SCHEMA_IDS.openapi,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Smartsupp webhooks',
      version: '1.0.0',
      summary: 'The signed, event-based successor of the Smartsupp POST hook, as smartsupp-hook reads it.',
      description:
        'Every event is an HTTP POST with a JSON body to one URL, signed in X-Smartsupp-Hmac. Any answer other than 200 is re-delivered later, with no delivery id and no ordering promise: make handlers idempotent. Event names not listed here are delivered too (see the WebhookEvent schema).',
    },
    webhooks,
    components: {
      schemas,
      parameters: {
        SmartsuppHmac: {
          name: 'X-Smartsupp-Hmac',
          in: 'header',
          required: true,
          description:
            'Hex HMAC-SHA256 of the exact request body, keyed with the app’s secret. Compare in constant time, over the bytes received (not a re-serialised body).',
          schema: { type: 'string', pattern: '^[0-9A-Fa-f]{64}$' },
        },
      },
      responses: {
        Handled: { description: 'The event was handled or safely stored: Smartsupp does not send it again.' },
        Redelivered: {
          description:
            'Any other answer (another 2xx, a 3xx, 4xx or 5xx, or none in time): Smartsupp re-delivers the event later.',
        },
      },
    },
  }
}
