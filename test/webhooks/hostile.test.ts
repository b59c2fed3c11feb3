import fc from 'fast-check'
import { isRight } from 'fp-ts/lib/Either.js'
import { decodeWebhookEvent, parseWebhookEvent, WebhookEventPayload } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { at, decoded, failed, fixture, fixtureNames, type Json } from './support.js'

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

function throwing(): object {
  return Object.defineProperty({}, 'id', {
    enumerable: true,
    get() {
      throw new Error('boom')
    },
  })
}

/** A deep copy whose objects have no prototype: forces the plan-driven (own keys only) reader. */
function nullPrototype(u: unknown): unknown {
  if (Array.isArray(u)) return u.map(nullPrototype)
  if (u === null || typeof u !== 'object') return u
  const o = Object.create(null) as Json
  for (const [k, v] of Object.entries(u)) o[k] = nullPrototype(v)
  return o
}

describe('hostile values never throw', () => {
  const cases: [string, () => unknown][] = [
    ['a revoked Proxy as the body', revoked],
    ['a revoked Proxy as data', () => ({ ...fixture('conversation.opened'), data: revoked() })],
    [
      'a revoked Proxy as the conversation',
      () => {
        const root = fixture('conversation.opened')
        at(root, 'data').conversation = revoked()
        return root
      },
    ],
    [
      'a throwing getter in the conversation',
      () => {
        const root = fixture('conversation.opened')
        at(root, 'data').conversation = throwing()
        return root
      },
    ],
    [
      'a Proxy whose ownKeys throws',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no keys')
            },
          },
        ),
    ],
    [
      'a throwing getter for event',
      () =>
        Object.defineProperty({}, 'event', {
          get() {
            throw new Error('x')
          },
        }),
    ],
  ]

  it.each(cases)('%s is a failure with unexpected_error', (_, make) => {
    for (const mode of ['lenient', 'strict'] as const) {
      const f = failed(make(), { mode })
      expect(f.issues.at(-1)?.code).toBe('unexpected_error')
      expect(f.message).toMatch(/^Not a valid Smartsupp webhook event/)
      expect(parseWebhookEvent(make() as string, { mode })._tag).toBe('Left')
    }
  })

  it.each([undefined, null, 42, Symbol('x'), () => 1, 10n])('parseWebhookEvent(%s) is a failure', (body) => {
    expect(parseWebhookEvent(body as unknown as string)._tag).toBe('Left')
  })

  it('decodeWebhookEvent never throws, for any value', () => {
    fc.assert(
      fc.property(fc.anything(), (u) => {
        decodeWebhookEvent(u)
        decodeWebhookEvent(u, { mode: 'strict' })
      }),
    )
  })

  it('parseWebhookEvent never throws, for any text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array(), fc.json()), (body) => {
        parseWebhookEvent(body)
      }),
    )
  })
})

describe('own properties only', () => {
  it('an inherited value is not read as data', () => {
    const root = fixture('conversation.agent_joined')
    const data = Object.create({ agent_id: 'inherited' }) as Json
    data.conversation_id = 'conv-001'
    root.data = data
    const e = decoded(root)
    expect(e.known && e.event === 'conversation.agent_joined' && e.data.agentId).toBeNull()
    expect(e.warnings.map((w) => [w.path, w.code])).toEqual([['data.agent_id', 'missing']])
  })

  it('a polluted Object.prototype is not read as data', () => {
    const proto = Object.prototype as Json
    proto.subject = 'polluted'
    try {
      const e = decoded(fixture('conversation.rated'))
      expect(e.known && e.event === 'conversation.rated' && e.data.conversation?.subject).toBeNull()
    } finally {
      delete proto.subject
    }
  })
})

/** A fixture with one value, anywhere in it, replaced by any JSON value (or removed). */
const mutatedFixture = fc
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

describe('properties over mutated fixtures', () => {
  it('the generated fast readers and the plan-driven readers agree', () => {
    fc.assert(
      fc.property(mutatedFixture, fc.constantFrom('lenient' as const, 'strict' as const), (root, mode) => {
        const fast = decodeWebhookEvent(root, { mode })
        const slow = decodeWebhookEvent(nullPrototype(root), { mode })
        expect(slow._tag).toBe(fast._tag)
        if (fast._tag === 'Left' && slow._tag === 'Left') expect(slow.left).toEqual(fast.left)
        if (fast._tag === 'Right' && slow._tag === 'Right') {
          const { raw: _a, ...a } = fast.right
          const { raw: _b, ...b } = slow.right
          expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('strict decoding accepts a known event exactly when the io-ts codec does', () => {
    fc.assert(
      fc.property(mutatedFixture, (root) => {
        const known = typeof root.event === 'string' && root.event !== 'visitor.page_viewed'
        fc.pre(known)
        const strict = decodeWebhookEvent(root, { mode: 'strict' })
        const ok = strict._tag === 'Right' && strict.right.known
        expect(ok).toBe(isRight(WebhookEventPayload.decode(root)))
      }),
      { numRuns: 500 },
    )
  })
})
