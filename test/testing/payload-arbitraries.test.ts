import fc from 'fast-check'
import { ConversationPayload, decodeConversation, LegacyConversationPayload } from 'smartsupp-hook'
import { conversationPayload, messagePayload, payloadArbitraries } from 'smartsupp-hook/testing/arbitraries'
import { describe, expect, it } from 'vitest'
import { documentedPaths } from '../../src/codecs/codec-structure.js'

describe('smartsupp-hook/testing/arbitraries', () => {
  it('payloadArbitraries(fc) builds the same arbitraries with a given fast-check', () => {
    const own = payloadArbitraries(fc)
    const seed = 42
    expect(fc.sample(own.conversationPayload(), { seed, numRuns: 3 })).toEqual(
      fc.sample(conversationPayload(), { seed, numRuns: 3 }),
    )
  })

  it('current form: every payload passes the codec and strict decoding', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        expect(ConversationPayload.is(p)).toBe(true)
        expect(decodeConversation(p, { mode: 'strict' })._tag).toBe('Right')
      }),
    )
  })

  it('keeps the message count within minMessages … maxMessages', () => {
    fc.assert(
      fc.property(conversationPayload({ minMessages: 2, maxMessages: 3 }), (p) => {
        expect(p.messages.length).toBeGreaterThanOrEqual(2)
        expect(p.messages.length).toBeLessThanOrEqual(3)
      }),
      { numRuns: 50 },
    )
    const many = fc.sample(conversationPayload({ minMessages: 40 }), 5)
    expect(many.every((p) => p.messages.length >= 40)).toBe(true)
  })

  it('defaults to 0 … 12 messages', () => {
    const lengths = fc.sample(conversationPayload(), { seed: 1, numRuns: 200 }).map((p) => p.messages.length)
    expect(lengths).toContain(0)
    // fast-check's default size stops arrays at 10 items; a larger base size lets the bound itself show.
    const previous = fc.readConfigureGlobal()
    fc.configureGlobal({ ...previous, baseSize: 'medium' })
    try {
      fc.assert(
        fc.property(conversationPayload(), (p) => {
          expect(p.messages.length).toBeLessThanOrEqual(12)
        }),
        { numRuns: 200 },
      )
      const larger = fc.sample(conversationPayload(), { seed: 1, numRuns: 200 }).map((p) => p.messages.length)
      expect(Math.max(...larger)).toBe(12)
    } finally {
      fc.configureGlobal(previous)
    }
  })

  it('unknownFields: lenient decoding accepts them as unknown_field warnings, strict refuses', () => {
    fc.assert(
      fc.property(conversationPayload({ unknownFields: true, maxMessages: 4 }), (p) => {
        const lenient = decodeConversation(p)
        if (lenient._tag === 'Left') throw new Error(lenient.left.message)
        expect(lenient.right.warningCount).toBeGreaterThanOrEqual(3)
        expect(lenient.right.warnings.every((w) => w.code === 'unknown_field')).toBe(true)
        expect(decodeConversation(p, { mode: 'strict' })._tag).toBe('Left')
      }),
      { numRuns: 100 },
    )
  })

  it("form 'legacy': pre-2018 payloads that lenient decoding reads with legacy_form warnings only", () => {
    fc.assert(
      fc.property(conversationPayload({ form: 'legacy', minMessages: 1, maxMessages: 5 }), (p) => {
        expect(LegacyConversationPayload.is(p)).toBe(true)
        const lenient = decodeConversation(p)
        if (lenient._tag === 'Left') throw new Error(lenient.left.message)
        expect(lenient.right.messages).toHaveLength(p.messages.length)
        expect(lenient.right.warnings.every((w) => w.code === 'legacy_form')).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('messagePayload: any message in the current form', () => {
    fc.assert(
      fc.property(fc.array(messagePayload(), { maxLength: 5 }), (messages) => {
        const p = { ...fc.sample(conversationPayload({ maxMessages: 0 }), 1)[0], messages }
        expect(ConversationPayload.is(p)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })

  it('rejects impossible options with a TypeError', () => {
    expect(() => conversationPayload({ minMessages: 5, maxMessages: 2 })).toThrow(/must not exceed/)
    expect(() => conversationPayload({ minMessages: -1 })).toThrow(TypeError)
    expect(() => conversationPayload({ form: 'old' as 'legacy' })).toThrow(/form/)
  })
})

describe('derived from the codecs', () => {
  /** Every documented path present in a value (`messages[].name`, `visitor.variables.*.label`). */
  function presentPaths(value: unknown, path: string, out: Set<string>, record: boolean): void {
    if (Array.isArray(value)) {
      for (const item of value) presentPaths(item, `${path}[]`, out, false)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [key, v] of Object.entries(value)) {
      const child = record ? `${path}.*` : path === '' ? key : `${path}.${key}`
      if (!record) out.add(child)
      presentPaths(v, child, out, child === 'visitor.variables')
    }
  }

  it('generates every documented field the codec declares, in both forms', () => {
    for (const [codec, form] of [
      [ConversationPayload, 'current'],
      [LegacyConversationPayload, 'legacy'],
    ] as const) {
      const seen = new Set<string>()
      for (const p of fc.sample(conversationPayload({ form, minMessages: 3 }), { seed: 7, numRuns: 200 })) {
        presentPaths(p, '', seen, false)
      }
      expect(documentedPaths(codec).filter((path) => !seen.has(path))).toEqual([])
    }
  })
})
