import fc from 'fast-check'
import { decodeWebhookEvent, type WebhookEvent, webhookEventKey } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

// webhookEventKey hashes while it walks the event (no canonical text, no UTF-8 pass): these tests
// hold it to the definition, FNV-1a 64 over the UTF-8 bytes of the canonical JSON, so keys already
// in a store (written before it hashed this way) still match their re-deliveries.

/** Canonical JSON, the obvious recursive way: object keys sorted by UTF-16 code units, no whitespace. */
function canonical(u: unknown): string {
  if (Array.isArray(u)) return `[${u.map(canonical).join(',')}]`
  if (u !== null && typeof u === 'object') {
    const o = u as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(u) ?? 'null'
}

/** FNV-1a 64 with BigInt over TextEncoder's bytes. */
function fnv(text: string): string {
  let h = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte)
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return h.toString(16).padStart(16, '0')
}

const hashOf = (key: string) => key.slice(key.lastIndexOf(':') + 1)

function event(data: unknown, extra: Record<string, unknown> = {}): WebhookEvent {
  const result = decodeWebhookEvent({
    event: 'app.future',
    timestamp: '2020-08-08T07:53:18.825Z',
    account_id: '1',
    app_id: 'a',
    ...extra,
    data,
  })
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

/** Any JSON value whose strings hold any UTF-16 code units (lone surrogates, control characters, emoji). */
const anyJson = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 })

describe('webhookEventKey hashes the canonical JSON', () => {
  it('equals FNV-1a 64 of the canonical JSON text for any event', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), anyJson), anyJson, (data, extraValue) => {
        const e = event(data, { extra: extraValue })
        expect(hashOf(webhookEventKey(e))).toBe(fnv(canonical(e.raw)))
      }),
      { numRuns: 500 },
    )
  })

  it('keeps the keys stores already hold for every fixture (no migration)', () => {
    // Written by the implementation before (the canonical text, encoded, then hashed).
    const stored: Record<string, string> = {
      'conversation.opened': '2f43d3cc36b7391b',
      'conversation.contact_replied': '1f8809d19ad1e0fd',
      'conversation.bot_replied': 'be627baf6a61b539',
      'conversation.agent_assigned': '5dc34399500347bf',
      'conversation.agent_joined': '930a963e6e33c5f1',
      'conversation.agent_replied': '514d6cee5ee3d7d6',
      'conversation.message_delivered': 'dc2d19c745f924aa',
      'conversation.message_delivery_failed': 'bafbef4566fe02f8',
      'conversation.agent_unassigned': '24dba668715f4dcc',
      'conversation.agent_left': '8916b22c6ff55e55',
      'conversation.rated': '2c3393be9342f66f',
      'conversation.closed': '185c28042663a84a',
      'conversation.closed_by_contact': '78261fe30d745964',
      'contact.created': '3312d6ae0504f1b7',
      'contact.updated': 'aeb5c2a572a3f860',
      'contact.acquired': 'c8ebefda804929b1',
      'contact.banned': '88a7bc7849edd49b',
      'contact.unbanned': '6fc3336256c5b1dc',
      'conversation.bot_replied.html': '9318f71369aa0253',
      unknown: 'f187b42f68b40dd3',
    }
    const names = Object.keys(webhookFixtures) as (keyof typeof webhookFixtures)[]
    expect(names.sort()).toEqual(Object.keys(stored).sort())
    for (const name of names) {
      const result = decodeWebhookEvent(webhookFixtures[name]())
      expect(result._tag === 'Right' && hashOf(webhookEventKey(result.right))).toBe(stored[name])
    }
  })

  it('hashes escapes, surrogates and non-ASCII keys exactly as JSON.stringify writes them', () => {
    const data = {
      'ключ "q" \\': 'Šárka 😊 \u2028',
      '\u0000\u001f\b\t\n\f\r': [
        '\u0000\u001f\b\t\n\f\r "\\',
        '\ud800',
        '\udfff',
        'a\ud83d',
        '\ude0ab',
        '\ud83d\ude0a',
      ],
      n: [0, -0, 1.5e300, -2.25, 1e21, 2 ** 53 + 2],
      t: [true, false, null, {}, [], [[]], { '': { '': '' } }],
    }
    const e = event(data)
    expect(hashOf(webhookEventKey(e))).toBe(fnv(canonical(e.raw)))
  })

  it('is right past the recursion limit, and for more key orders than it remembers', () => {
    for (const depth of [255, 256, 257, 1_000]) {
      let deep: unknown = { leaf: 'x' }
      for (let i = 0; i < depth; i++) deep = i % 2 === 0 ? [deep, i] : { b: deep, a: i }
      const e = event({ deep })
      expect(hashOf(webhookEventKey(e))).toBe(fnv(canonical(e.raw)))
    }
    // 600 objects whose keys share a first key but differ after it, and each order twice.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 600; i++) {
        const data = { first: i, [`k${i % 37}`]: round, [`z${i}`]: null, a: i % 5 }
        const e = event(data)
        expect(hashOf(webhookEventKey(e))).toBe(fnv(canonical(e.raw)))
      }
    }
  })
})
