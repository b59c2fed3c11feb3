import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { documentedPaths } from '../../src/codecs/codec-structure.js'
import { FIELD_DESCRIPTIONS } from '../../src/codecs/field-descriptions.js'
import { postHookJsonSchema } from '../../src/codecs/json-schema.js'
import { schemaFiles } from '../../src/codecs/schema-files.js'
import { ConversationPayload, decodeConversation, LegacyConversationPayload } from '../../src/index.js'
import { fixtures } from '../../src/testing/fixtures.js'
import { conversationPayload, mutatedPayload } from '../support/arbitraries.js'

const root = new URL('../../', import.meta.url)
const payloadsDir = fileURLToPath(new URL('examples/payloads/', root))
const ajv = new Ajv2020({ strict: true, allErrors: true })
const validateCurrent = ajv.compile(JSON.parse(readFileSync(new URL('schemas/post-hook.json', root), 'utf8')))
const validateLegacy = ajv.compile(
  JSON.parse(readFileSync(new URL('schemas/post-hook-legacy.json', root), 'utf8')),
)
const strictAccepts = (u: unknown) => decodeConversation(u, { mode: 'strict' })._tag === 'Right'

describe('the JSON Schema of the POST hook', () => {
  it('the committed schemas/ files are what the codecs give (run `npm run build:schemas`)', () => {
    for (const [name, text] of Object.entries(schemaFiles())) {
      expect(readFileSync(new URL(`schemas/${name}`, root), 'utf8'), name).toBe(text)
    }
  })

  it('is a valid draft 2020-12 schema, strict and closed like the codecs', () => {
    const schema = postHookJsonSchema()
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.additionalProperties).toBe(false)
    const defs = schema.$defs as Record<string, { additionalProperties?: unknown }>
    expect(Object.keys(defs).sort()).toEqual(
      [
        'AgentMessagePayload',
        'ChannelPayload',
        'PathPayload',
        'SystemMessagePayload',
        'VisitorMessagePayload',
        'VisitorPayload',
        'VisitorVariablePayload',
      ].sort(),
    )
    for (const def of Object.values(defs)) expect(def.additionalProperties).toBe(false)
  })

  it('every documented field has a description, and no description names a field the codecs lack', () => {
    const paths = new Set([
      '',
      ...documentedPaths(ConversationPayload),
      ...documentedPaths(LegacyConversationPayload),
    ])
    expect([...paths].filter((p) => FIELD_DESCRIPTIONS[p] === undefined)).toEqual([])
    expect(Object.keys(FIELD_DESCRIPTIONS).filter((p) => !paths.has(p))).toEqual([])
    const text = JSON.stringify(postHookJsonSchema())
    for (const path of documentedPaths(ConversationPayload)) {
      expect(text).toContain(JSON.stringify(FIELD_DESCRIPTIONS[path]))
    }
  })

  it('ajv agrees with strict decoding on every fixture in examples/payloads', () => {
    const files = readdirSync(payloadsDir).filter((f) => f.endsWith('.json'))
    expect(files.length).toBeGreaterThan(3)
    let accepted = 0
    for (const file of files) {
      const payload = JSON.parse(readFileSync(`${payloadsDir}${file}`, 'utf8'))
      const strict = strictAccepts(payload)
      if (strict) accepted++
      expect(validateCurrent(payload), `${file}: ${ajv.errorsText(validateCurrent.errors)}`).toBe(strict)
    }
    expect(accepted).toBeGreaterThan(0)
  })

  it('ajv agrees with strict decoding on every testing fixture', () => {
    for (const [name, make] of Object.entries(fixtures)) {
      const payload = make()
      expect(validateCurrent(payload), name).toBe(strictAccepts(payload))
    }
  })

  it('the legacy schema accepts the pre-2018 form as LegacyConversationPayload does', () => {
    expect(validateLegacy(fixtures.legacy())).toBe(true)
    fc.assert(
      fc.property(conversationPayload({ form: 'legacy', maxMessages: 4 }), (p) => {
        expect(validateLegacy(p)).toBe(true)
        expect(LegacyConversationPayload.is(p)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('for all generated and mutated payloads, ajv, strict decoding and the codec agree', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          conversationPayload({ maxMessages: 4 }),
          conversationPayload({ unknownFields: true, maxMessages: 3 }),
          mutatedPayload(),
        ),
        (input) => {
          const strict = strictAccepts(input)
          expect(validateCurrent(input)).toBe(strict)
          expect(ConversationPayload.is(input)).toBe(strict)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('agrees at the edges of the custom leaves', () => {
    const base = fixtures.documentedExample() as unknown as {
      messages: { from: string }[]
      accountId: number
    }
    for (const [from, ok] of [
      ['agent:9007199254740991', true],
      ['agent:9007199254740992', false],
      ['agent:007', false],
      ['agent:0', true],
      ['visitor:', false],
      ['visitor:\n', true],
    ] as const) {
      const p = structuredClone(base)
      // messages[0] is the visitor's, messages[2] an agent's.
      const i = from.startsWith('visitor:') ? 0 : 2
      p.messages[i] = { ...p.messages[i], from } as { from: string }
      expect(validateCurrent(p), from).toBe(ok)
      expect(strictAccepts(p), from).toBe(ok)
    }
    for (const accountId of [2 ** 53, 1.5, -(2 ** 53 - 1)]) {
      const p = { ...structuredClone(base), accountId }
      expect(validateCurrent(p)).toBe(strictAccepts(p))
    }
  })
})
