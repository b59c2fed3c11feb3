// The JSON Schema from the installed package, by its export, validating the documented example
// with ajv, as a user of another stack (or of no TypeScript at all) would.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv2020 } from 'ajv/dist/2020.js'
import schema from 'smartsupp-hook/schemas/post-hook.json' with { type: 'json' }

const required = createRequire(import.meta.url)('smartsupp-hook/schemas/post-hook.json')
if (JSON.stringify(required) !== JSON.stringify(schema)) throw new Error('require and import differ')

const validate = new Ajv2020({ strict: true }).compile(schema)
const payload = JSON.parse(readFileSync('payload.json', 'utf8'))
if (!validate(payload)) throw new Error(`documented example refused: ${JSON.stringify(validate.errors)}`)
console.log('schema: the documented example is valid')

payload.channel.somethingNew = true
if (validate(payload)) throw new Error('an unknown field was accepted')
const error = validate.errors?.[0]
if (error?.keyword !== 'additionalProperties' || error.instancePath !== '/channel') {
  throw new Error(`unexpected error: ${JSON.stringify(validate.errors)}`)
}
console.log('schema: an unknown field is refused')

// The webhook schema and the OpenAPI document, by their exports: every webhook fixture is valid.
const { webhookFixtures } = await import('smartsupp-hook/testing')
const webhookSchema = (await import('smartsupp-hook/schemas/webhook-event.json', { with: { type: 'json' } }))
  .default
const validateEvent = new Ajv2020({ strict: true }).compile(webhookSchema)
for (const [name, make] of Object.entries(webhookFixtures)) {
  if (!validateEvent(make()))
    throw new Error(`webhook fixture ${name} refused: ${JSON.stringify(validateEvent.errors)}`)
}
const openapi = createRequire(import.meta.url)('smartsupp-hook/schemas/openapi.json')
if (openapi.openapi !== '3.1.0' || Object.keys(openapi.webhooks).length !== 18)
  throw new Error('openapi.json')
console.log(
  `schema: ${Object.keys(webhookFixtures).length} webhook fixtures valid, openapi ${openapi.openapi}`,
)
