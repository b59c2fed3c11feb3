import { postHookJsonSchema } from './json-schema.js'
import { webhookEventJsonSchema } from './webhook/webhook-json-schema.js'
import { webhookOpenApiDocument } from './webhook/webhook-openapi.js'

/** The published schema files and their exact text (internal: the build script and its test). */
export function schemaFiles(): Record<string, string> {
  return {
    'post-hook.json': `${JSON.stringify(postHookJsonSchema('current'), null, 2)}\n`,
    'post-hook-legacy.json': `${JSON.stringify(postHookJsonSchema('legacy'), null, 2)}\n`,
    'webhook-event.json': `${JSON.stringify(webhookEventJsonSchema(), null, 2)}\n`,
    'openapi.json': `${JSON.stringify(webhookOpenApiDocument(), null, 2)}\n`,
  }
}
