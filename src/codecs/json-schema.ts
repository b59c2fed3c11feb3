import type * as t from 'io-ts'
import { codecNode, type JsonSchema, objectKeys } from './codec-structure.js'
import { ConversationPayload } from './conversation.js'
import { FIELD_DESCRIPTIONS } from './field-descriptions.js'
import { LegacyConversationPayload } from './legacy.js'

/** Where the published schemas live, as their `$id`s. */
export const SCHEMA_IDS = {
  current: 'https://unpkg.com/smartsupp-hook/schemas/post-hook.json',
  legacy: 'https://unpkg.com/smartsupp-hook/schemas/post-hook-legacy.json',
} as const

/**
 * The JSON Schema (draft 2020-12) of what `codec` accepts, walked from its structure: closed
 * objects become `additionalProperties: false` entries of `$defs`, named after the codec;
 * unions `anyOf`; custom leaves their annotated schema. `descriptions` is keyed by wire path.
 */
export function jsonSchemaOf(
  codec: t.Any,
  meta: { readonly id: string; readonly title: string },
  descriptions: Readonly<Record<string, string>> = FIELD_DESCRIPTIONS,
): JsonSchema {
  const defs: Record<string, JsonSchema> = {}
  const owners = new Map<string, t.Any>()
  const describe = (path: string, schema: JsonSchema): JsonSchema => {
    const description = descriptions[path]
    return description === undefined ? schema : { description, ...schema }
  }
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)

  const objectSchema = (node: Extract<ReturnType<typeof codecNode>, { kind: 'object' }>, path: string) => {
    const properties: Record<string, JsonSchema> = {}
    for (const key of objectKeys(node)) {
      const child = join(path, key)
      properties[key] = describe(child, walk((node.required[key] ?? node.optional[key]) as t.Mixed, child))
    }
    return {
      type: 'object',
      properties,
      required: Object.keys(node.required),
      ...(node.closed ? { additionalProperties: false } : {}),
    }
  }

  function walk(c: t.Any, path: string): JsonSchema {
    const node = codecNode(c)
    switch (node.kind) {
      case 'object': {
        const owner = owners.get(node.name)
        if (owner === c) return { $ref: `#/$defs/${node.name}` }
        if (owner !== undefined || path === '') return objectSchema(node, path)
        owners.set(node.name, c)
        defs[node.name] = { title: node.name, ...objectSchema(node, path) }
        return { $ref: `#/$defs/${node.name}` }
      }
      case 'union':
        // anyOf, not a type list: ajv's strict mode (its default) warns about `type: [..]`.
        return { anyOf: node.members.map((m) => walk(m, path)) }
      case 'literal':
        return node.values.length === 1 ? { const: node.values[0] } : { enum: [...node.values] }
      case 'array':
        return { type: 'array', items: walk(node.item, `${path}[]`) }
      case 'record':
        return { type: 'object', additionalProperties: walk(node.value, `${path}.*`) }
      case 'string':
      case 'number':
      case 'boolean':
        return { type: node.kind }
      case 'unknown':
        return {}
      case 'leaf':
        return structuredClone(node.annotation.jsonSchema)
    }
  }

  const root = walk(codec, '')
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: meta.id,
    title: meta.title,
    ...describe('', root),
    $defs: defs,
  }
}

/**
 * The JSON Schema of the POST hook body: the current (post-2018) documented form, the strict
 * contract that `ConversationPayload` and strict decoding hold; `'legacy'` gives the pre-2018 form.
 * Published as `smartsupp-hook/schemas/post-hook.json` and `…/post-hook-legacy.json`.
 */
export function postHookJsonSchema(form: 'current' | 'legacy' = 'current'): JsonSchema {
  return form === 'current'
    ? jsonSchemaOf(ConversationPayload, { id: SCHEMA_IDS.current, title: 'Smartsupp POST hook payload' })
    : jsonSchemaOf(LegacyConversationPayload, {
        id: SCHEMA_IDS.legacy,
        title: 'Smartsupp POST hook payload, pre-November-2018 form',
      })
}
