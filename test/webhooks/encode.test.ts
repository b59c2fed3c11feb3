import fc from 'fast-check'
import { decodeWebhookEvent, encodeWebhookEvent, type WebhookEvent } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { at, decoded, fixture, fixtureNames, type Json } from './support.js'

describe('encodeWebhookEvent', () => {
  it.each(fixtureNames)('%s round-trips: encode(decode(p)) deep-equals p', (name) => {
    const p = fixture(name)
    expect(encodeWebhookEvent(decoded(p, { mode: 'strict' }))).toEqual(fixture(name))
  })

  it('keeps unknown fields, unreadable values and received time spellings', () => {
    const p = fixture('conversation.agent_replied')
    p.extra = { a: 1 }
    at(p, 'data.conversation').unread = 'yes'
    at(p, 'data.conversation').created_at = '2026-03-02T10:15:00+01:00'
    at(p, 'data.message').future = [1]
    at(p, 'data.message').agent_id = 11
    expect(encodeWebhookEvent(decoded(p))).toEqual(p)
  })

  it('writes changes made to the model (a scrubbed e-mail stays null)', () => {
    const e = decoded(fixture('conversation.opened'))
    if (!e.known || e.event !== 'conversation.opened' || e.data.conversation === null)
      throw new Error('fixture')
    const scrubbed = {
      ...e,
      data: { conversation: { ...e.data.conversation, contactEmail: null, subject: 'Re: jacket' } },
    } as WebhookEvent
    const wire = encodeWebhookEvent(scrubbed) as Json
    expect(at(wire, 'data.conversation')).toMatchObject({ contact_email: null, subject: 'Re: jacket' })
  })

  it('round-trips any fixture with one value replaced or removed, when lenient decoding accepts it', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...fixtureNames), fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }))
      .map(([name, pick, value]) => {
        const root = fixture(name)
        const slots: [Json, string][] = []
        const walk = (o: unknown) => {
          if (o === null || typeof o !== 'object') return
          for (const [k, v] of Object.entries(o)) {
            slots.push([o as Json, k])
            walk(v)
          }
        }
        walk(root)
        const [o, key] = slots[pick % slots.length] as [Json, string]
        if (value === undefined) delete o[key]
        else o[key] = value
        return root
      })
    fc.assert(
      fc.property(mutated, (p) => {
        const result = decodeWebhookEvent(p)
        if (result._tag === 'Right') expect(encodeWebhookEvent(result.right)).toEqual(p)
      }),
      { numRuns: 400 },
    )
  })
})
