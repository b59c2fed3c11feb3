import { decodeConversationOrThrow, idempotencyKey, parseConversationOrThrow } from 'smartsupp-hook'
import { fixtures } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { asAssembled } from '../support/assembled.js'
import { documentedExample, documentedExampleBytes, legacyExample } from '../support/payloads.js'

const key = (payload: unknown) => idempotencyKey(decodeConversationOrThrow(payload))

/** The same JSON value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  )
}

describe('idempotencyKey', () => {
  it('names the account and the conversation, then a 64-bit hash of its data', () => {
    expect(key(documentedExample())).toMatch(/^smartsupp:208:55039:[0-9a-f]{16}$/)
  })

  it('is the key it was when the ids were numbers (pinned: a stored key must still match)', () => {
    expect(key(documentedExample())).toBe('smartsupp:208:55039:504257adfd453e90')
    expect(key(legacyExample())).toBe('smartsupp:208:55039:504257adfd453e90')
    expect(key(fixtures.transfer())).toBe('smartsupp:208:1005:b761cdcb32747ecd')
    expect(key(fixtures.post2020Variables())).toBe('smartsupp:208:55039:12662d451ea982c0')
  })

  it('works for an assembled conversation: its documented fields, no raw', () => {
    const decoded = decodeConversationOrThrow(documentedExample())
    // The same data from the other source gives the same key: nothing but the documented fields counts.
    expect(idempotencyKey(asAssembled(decoded))).toBe(key(documentedExample()))
    const webhookIds = asAssembled(decoded, { id: 'conv-001', accountId: 'acc-9' })
    expect(idempotencyKey(webhookIds)).toMatch(/^smartsupp:acc-9:conv-001:[0-9a-f]{16}$/)
    const noAccount = idempotencyKey(asAssembled(decoded, { id: 'conv-001', accountId: null }))
    expect(noAccount).toMatch(/^smartsupp::conv-001:[0-9a-f]{16}$/)
    // A string id is not the number it spells: '55039' and 55039 are one id, '055039' another.
    expect(idempotencyKey(asAssembled(decoded, { id: '055039' }))).not.toBe(key(documentedExample()))
    // The events and the closing are not documented fields of the conversation.
    const closed = asAssembled(decoded, { closedAt: decoded.endAt, closedBy: 'contact' })
    expect(idempotencyKey(closed)).toBe(key(documentedExample()))
    const rated = asAssembled(decoded, { rating: { value: 3, comment: null } })
    expect(idempotencyKey(rated)).not.toBe(key(documentedExample()))
  })

  it('is the same for the same payload, however it is written or decoded', () => {
    const expected = key(documentedExample())
    expect(idempotencyKey(parseConversationOrThrow(documentedExampleBytes))).toBe(expected)
    expect(idempotencyKey(parseConversationOrThrow(documentedExampleBytes, { mode: 'strict' }))).toBe(
      expected,
    )
    expect(key(reverseKeys(documentedExample()))).toBe(expected)
    expect(idempotencyKey(parseConversationOrThrow(JSON.stringify(documentedExample(), null, 4)))).toBe(
      expected,
    )
  })

  it('ignores unknown fields and the pre-2018 form, which carry no new data', () => {
    const expected = key(documentedExample())
    const extra = documentedExample()
    extra.deliveryAttempt = 2
    extra.channel.somethingNew = 'x'
    expect(key(extra)).toBe(expected)
    expect(key(legacyExample())).toBe(expected)
  })

  it('differs for a different conversation or account', () => {
    const expected = key(documentedExample())
    const other = documentedExample()
    other.channel.id = 55040
    expect(key(other)).toMatch(/^smartsupp:208:55040:/)
    const otherAccount = documentedExample()
    otherAccount.accountId = 209
    expect(key(otherAccount)).toMatch(/^smartsupp:209:55039:/)
    expect(new Set([expected, key(other), key(otherAccount)]).size).toBe(3)
  })

  it('covers every documented field: changing any one value changes the key', () => {
    const expected = key(documentedExample())
    const leaves: string[] = []
    const walk = (node: unknown, path: (string | number)[]) => {
      if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k])
      } else leaves.push(JSON.stringify(path))
    }
    walk(documentedExample(), [])
    expect(leaves.length).toBeGreaterThan(60)
    for (const leaf of leaves) {
      // An unknown `type` is read by its sender into the same message (see the decoder): no new data.
      if (leaf.endsWith(',"type"]')) continue
      const path = JSON.parse(leaf) as (string | number)[]
      const p = documentedExample()
      let holder = p
      for (const k of path.slice(0, -1)) holder = holder[k]
      const last = path[path.length - 1] as string | number
      const value = holder[last]
      holder[last] =
        typeof value === 'number'
          ? value + 1
          : typeof value === 'boolean'
            ? !value
            : value === null
              ? 'x'
              : `${value}x`
      expect(key(p), leaf).not.toBe(expected)
    }
  })

  it('differs when the same conversation comes again with changed data, so no update is dropped', () => {
    const expected = key(documentedExample())
    const prefix = 'smartsupp:208:55039:'
    const changes: ((p: ReturnType<typeof documentedExample>) => void)[] = [
      (p) => {
        p.messages.push({ ...p.messages[0], content: 'one more thing', sentAt: p.endAt + 1000 })
      },
      (p) => {
        p.channel.rating = 4
      },
      (p) => {
        p.messages[0].content = 'Hello!'
      },
      (p) => {
        p.visitor.email = 'new@domain.com'
      },
      (p) => {
        p.visitor.variables.chatId.value = '208'
      },
      (p) => {
        p.endAt += 1
      },
    ]
    const keys = changes.map((change) => {
      const p = documentedExample()
      change(p)
      return key(p)
    })
    for (const k of keys) expect(k.startsWith(prefix)).toBe(true)
    expect(new Set([expected, ...keys]).size).toBe(changes.length + 1)
  })
})
