import { isRight } from 'fp-ts/lib/Either.js'
import { WEBHOOK_EVENT_DATA, WebhookEnvelopePayload, WebhookEventPayload } from 'smartsupp-hook'
import type { WebhookFixtureName } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { WebhookContactPayload } from '../../src/codecs/webhook/contact.js'
import { WebhookChannelPayload, WebhookConversationPayload } from '../../src/codecs/webhook/conversation.js'
import { WebhookMessageContentPayload, WebhookMessagePayload } from '../../src/codecs/webhook/message.js'
import {
  type Field,
  type FieldKind,
  modelName,
  type ObjectCodec,
  planOf,
} from '../../src/decode/webhook/read-plan.js'
import { at, decoded, failed, fixture, type Json } from './support.js'

/** A value each kind of field must not accept (and lenient decoding reads as `null`). */
const WRONG: Record<FieldKind, unknown> = {
  string: 42,
  id: true,
  boolean: 'yes',
  integer: 1.5,
  date: '2020-02-30T07:53:18.825Z',
  array: { not: 'an array' },
  record: ['not', 'an object'],
  idArray: 'not an array',
  object: 'not an object',
  content: 42,
  literal: 'something_else',
  unknown: undefined,
}

/** Where each object codec appears in a fixture, by the path of the object. */
const PLACES: [ObjectCodec, WebhookFixtureName, string][] = [
  [WebhookConversationPayload, 'conversation.closed', 'data.conversation'],
  [WebhookChannelPayload, 'conversation.closed', 'data.conversation.channel'],
  [WebhookMessagePayload, 'conversation.agent_replied', 'data.message'],
  [WebhookMessageContentPayload, 'conversation.bot_replied', 'data.message.content'],
  [WebhookContactPayload, 'contact.banned', 'data.contact'],
  ...Object.entries(WEBHOOK_EVENT_DATA).map(
    ([event, codec]) =>
      [codec, event as WebhookFixtureName, 'data'] as [ObjectCodec, WebhookFixtureName, string],
  ),
]

interface Case {
  readonly title: string
  readonly fixture: WebhookFixtureName
  readonly objectPath: string
  readonly field: Field
  readonly combined: boolean
}

const cases: Case[] = PLACES.flatMap(([codec, fixtureName, objectPath]) => {
  const plan = planOf(codec)
  return plan.fields
    .filter((f) => f.kind !== 'unknown')
    .map((field) => ({
      title: `${fixtureName} ${objectPath}.${field.wire} (${field.kind}${field.nullable ? ' | null' : ''}${field.required ? ', required' : ''})`,
      fixture: fixtureName,
      objectPath,
      field,
      combined: plan.skip.has(field.wire) || objectPath.endsWith('.content'),
    }))
})
// The envelope: `event` and `data` are the essential fields, tested in envelope.test.ts.
for (const field of planOf(WebhookEnvelopePayload).fields) {
  if (field.wire === 'event' || field.wire === 'data') continue
  cases.push({
    title: `envelope ${field.wire}`,
    fixture: 'conversation.opened',
    objectPath: '',
    field,
    combined: false,
  })
}

/** The model value for a wire field, following the wire path through model names. */
function modelValue(event: unknown, objectPath: string, field: Field): unknown {
  let o = event as Json
  for (const key of objectPath.split('.').filter((k) => k !== '')) o = o[modelName(key)] as Json
  return o[field.name]
}

const pathOf = (c: Case) => (c.objectPath === '' ? c.field.wire : `${c.objectPath}.${c.field.wire}`)

function mutated(c: Case, value: unknown): Json {
  const root = fixture(c.fixture)
  const o = at(root, c.objectPath)
  if (value === undefined) delete o[c.field.wire]
  else o[c.field.wire] = value
  return root
}

/** Strict decoding and the io-ts codec agree: both accept or both reject. */
function codecAccepts(root: Json): boolean {
  return isRight((root.event === undefined ? WebhookEnvelopePayload : WebhookEventPayload).decode(root))
}

describe('every documented field, mistyped (table from the codecs)', () => {
  it('covers the fields', () => expect(cases.length).toBeGreaterThan(90))

  it.each(cases.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const root = mutated(c, WRONG[c.field.kind])
    const lenient = decoded(root)
    const issue = lenient.warnings.find((w) => w.path === pathOf(c))
    expect(issue, JSON.stringify(lenient.warnings)).toMatchObject({
      code: 'invalid_type',
      expected: c.field.expected,
    })
    if (!c.combined) expect(modelValue(lenient, c.objectPath === '' ? '' : c.objectPath, c.field)).toBeNull()
    expect(lenient.raw).toBe(root)
    const strict = failed(root, { mode: 'strict' })
    expect(strict.issues.map((i) => i.path)).toContain(pathOf(c))
    expect(strict.message).toMatch(/^Not a valid Smartsupp webhook event \(strict\)/)
    expect(codecAccepts(root)).toBe(false)
  })
})

describe('every documented field, null where the codec does not allow it', () => {
  const notNullable = cases.filter((c) => !c.field.nullable)
  it.each(notNullable.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const root = mutated(c, null)
    expect(decoded(root).warnings.map((w) => w.path)).toContain(pathOf(c))
    expect(failed(root, { mode: 'strict' }).issues.map((i) => i.path)).toContain(pathOf(c))
    expect(codecAccepts(root)).toBe(false)
  })
})

describe('every documented field, missing', () => {
  it.each(cases.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const root = mutated(c, undefined)
    const lenient = decoded(root)
    if (!c.combined) expect(modelValue(lenient, c.objectPath, c.field)).toBeNull()
    if (c.field.required) {
      expect(lenient.warnings.find((w) => w.path === pathOf(c))).toMatchObject({ code: 'missing' })
      expect(failed(root, { mode: 'strict' }).issues.map((i) => i.path)).toContain(pathOf(c))
      expect(codecAccepts(root)).toBe(false)
    } else {
      // Absent and null both mean "not told" (shared spec): no warning, strict accepts it.
      expect(lenient.warnings).toEqual([])
      expect(decoded(root, { mode: 'strict' }).warnings).toEqual([])
      expect(codecAccepts(root)).toBe(true)
    }
  })
})
