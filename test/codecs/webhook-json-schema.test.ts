import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { decodeWebhookEvent, WEBHOOK_EVENT_DATA, WebhookEventPayload } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { mutatedWebhookEvent, unknownWebhookEvent, webhookEvent } from 'smartsupp-hook/testing/arbitraries'
import { describe, expect, it } from 'vitest'
import { documentedPaths } from '../../src/codecs/codec-structure.js'
import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_FIELD_DESCRIPTIONS,
} from '../../src/codecs/field-descriptions.js'

const root = new URL('../../', import.meta.url)
const read = (name: string) => JSON.parse(readFileSync(new URL(`schemas/${name}`, root), 'utf8'))
const schema = read('webhook-event.json')
const openapi = read('openapi.json')
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema)
const strictAccepts = (u: unknown) => decodeWebhookEvent(u, { mode: 'strict' })._tag === 'Right'
const KNOWN = Object.keys(WEBHOOK_EVENT_DATA)

describe('the JSON Schema of webhook events (schemas/webhook-event.json)', () => {
  it('is draft 2020-12, one $defs entry per known event and one for unknown events', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.oneOf.map((m: { $ref: string }) => m.$ref)).toEqual(
      [...KNOWN, 'UnknownWebhookEvent'].map((n) => `#/$defs/${n}`),
    )
    for (const name of KNOWN) expect(schema.$defs[name].properties.event).toMatchObject({ const: name })
  })

  it.each(Object.keys(webhookFixtures) as (keyof typeof webhookFixtures)[])(
    'validates the fixture %s',
    (name) => {
      const event = webhookFixtures[name]()
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true)
    },
  )

  it('every documented field and every known event has a description, and no description names a field the codecs lack', () => {
    const paths = new Set(['', ...documentedPaths(WebhookEventPayload)])
    expect([...paths].filter((p) => WEBHOOK_FIELD_DESCRIPTIONS[p] === undefined)).toEqual([])
    expect(Object.keys(WEBHOOK_FIELD_DESCRIPTIONS).filter((p) => !paths.has(p))).toEqual([])
    expect(Object.keys(WEBHOOK_EVENT_DESCRIPTIONS).sort()).toEqual([...KNOWN].sort())
    const text = JSON.stringify(schema)
    for (const description of Object.values(WEBHOOK_FIELD_DESCRIPTIONS))
      expect(text).toContain(JSON.stringify(description))
  })

  it('ajv and strict decoding agree on generated, unknown and mutated events', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          webhookEvent(),
          webhookEvent({ unknownFields: true }),
          unknownWebhookEvent(),
          mutatedWebhookEvent(),
          mutatedWebhookEvent(),
        ),
        (event) => {
          expect(validate(event)).toBe(strictAccepts(event))
        },
      ),
      { numRuns: Number(process.env.AGREEMENT_RUNS ?? 500) },
    )
  })

  it('the timestamp pattern agrees with the codec on hand-picked spellings', () => {
    const at = (timestamp: unknown) => ({ ...webhookFixtures['conversation.opened'](), timestamp })
    for (const t of [
      '2020-08-08T07:53:18.825Z',
      '2020-08-08T07:53Z',
      '2020-08-08t07:53:18+02:00',
      '2020-08-08T07:53:18.1-0230',
      '2020-02-29T00:00:00Z',
      '2020-02-30T00:00:00Z',
      '2020-04-31T00:00:00Z',
      '2020-08-08T24:00:00Z',
      '2020-08-08T07:53:18',
      '2020-08-08 07:53:18Z',
      '2020-08-08T07:53:18.Z',
      `2020-08-08T07:53:18.${'1'.repeat(30)}Z`,
    ]) {
      expect(validate(at(t)), t).toBe(strictAccepts(at(t)))
    }
  })
})

describe('the OpenAPI 3.1 document (schemas/openapi.json)', () => {
  const refs = (value: unknown, out: string[] = []): string[] => {
    if (Array.isArray(value)) for (const v of value) refs(v, out)
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') out.push(v)
        else refs(v, out)
      }
    }
    return out
  }
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], openapi)

  it('is structurally OpenAPI 3.1: version, info, webhooks and components only', () => {
    expect(openapi.openapi).toMatch(/^3\.1\.\d+$/)
    expect(typeof openapi.info.title).toBe('string')
    expect(typeof openapi.info.version).toBe('string')
    const allowed = [
      'openapi',
      'info',
      'jsonSchemaDialect',
      'servers',
      'paths',
      'webhooks',
      'components',
      'security',
      'tags',
      'externalDocs',
    ]
    expect(
      Object.keys(openapi).filter((k) => !allowed.includes(k) && !k.startsWith('x-') && k !== '$id'),
    ).toEqual([])
    for (const key of Object.keys(openapi.components)) {
      expect([
        'schemas',
        'responses',
        'parameters',
        'examples',
        'requestBodies',
        'headers',
        'securitySchemes',
        'links',
        'callbacks',
        'pathItems',
      ]).toContain(key)
      for (const name of Object.keys(openapi.components[key])) expect(name).toMatch(/^[a-zA-Z0-9.\-_]+$/)
    }
  })

  it('has one webhook per known event: a signed POST of that event, 200 or re-delivered', () => {
    expect(Object.keys(openapi.webhooks)).toEqual(KNOWN)
    const operationIds = new Set<string>()
    for (const name of KNOWN) {
      const post = openapi.webhooks[name].post
      expect(Object.keys(openapi.webhooks[name])).toEqual(['post'])
      operationIds.add(post.operationId)
      expect(post.requestBody.content['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${name}`,
      })
      expect(post.parameters.map((p: { $ref: string }) => resolve(p.$ref))).toEqual([
        expect.objectContaining({ name: 'X-Smartsupp-Hmac', in: 'header', required: true }),
      ])
      expect(Object.keys(post.responses)).toEqual(['200', 'default'])
      for (const response of Object.values(post.responses) as { $ref: string }[])
        expect(typeof (resolve(response.$ref) as { description: unknown }).description).toBe('string')
    }
    expect(operationIds.size).toBe(KNOWN.length)
  })

  it('every $ref resolves inside the document, and its schemas validate the fixtures as the schema file does', () => {
    for (const ref of refs(openapi)) expect(resolve(ref), ref).toBeDefined()
    // The components as one 2020-12 schema (OpenAPI 3.1's dialect), refs pointing into it.
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    ajv.addKeyword({ keyword: 'components' })
    ajv.addSchema({
      $id: 'https://example.test/openapi.json',
      components: { schemas: openapi.components.schemas },
    } as never)
    const validateEvent = ajv.getSchema('https://example.test/openapi.json#/components/schemas/WebhookEvent')
    expect(validateEvent).toBeDefined()
    for (const make of Object.values(webhookFixtures)) {
      const event = make()
      expect(validateEvent?.(event)).toBe(true)
      expect(validateEvent?.({ ...event, extra: 1 })).toBe(false)
    }
  })
})
