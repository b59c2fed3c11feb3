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
