import fc from 'fast-check'
import { type Conversation, decodeConversation } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { conversationPayload, mutatedPayload } from '../support/arbitraries.js'

// Messages in the documented form are read by a fast path (no report); any other message by the
// reporting path. Forcing every message onto the reporting path must change nothing but warnings.

function decoded(p: unknown): Conversation | string {
  const r = decodeConversation(p)
  return r._tag === 'Left' ? r.left.message : r.right
}

/** The payload with an unknown field in every message object, which the fast path never takes. */
function offFastPath(p: unknown): unknown {
  const copy = structuredClone(p) as { messages?: unknown }
  if (Array.isArray(copy.messages)) {
    for (const m of copy.messages) {
      if (m !== null && typeof m === 'object' && !Array.isArray(m))
        (m as Record<string, unknown>).zzSlowPath = 1
    }
  }
  return copy
}

function messagesOf(c: Conversation | string): unknown {
  return typeof c === 'string' ? c.replace(/ \(and \d+ more issues?\)$/, '') : c.messages
}

describe('the fast path for documented messages', () => {
  it('reads every valid payload exactly as the reporting path does', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const fast = decoded(p)
        const slow = decoded(offFastPath(p))
        expect(typeof fast).not.toBe('string')
        expect(messagesOf(slow)).toEqual(messagesOf(fast))
        if (typeof slow !== 'string') {
          expect(
            slow.warnings.every((w) => w.code === 'unknown_field' && w.path.endsWith('.zzSlowPath')),
          ).toBe(true)
        }
      }),
    )
  })

  it('reads every mutated payload as the reporting path does (messages, or the same first issue)', () => {
    fc.assert(
      fc.property(mutatedPayload(), (p) => {
        const fast = decoded(p)
        const slow = decoded(offFastPath(p))
        if (typeof fast === 'string' || typeof slow === 'string') {
          expect(typeof slow).toBe(typeof fast)
          return
        }
        expect(slow.messages).toEqual(fast.messages)
        const warnings = (c: Conversation) =>
          c.warnings.filter((w) => !w.path.endsWith('.zzSlowPath')).map((w) => [w.path, w.code])
        if (fast.warningCount < 40) expect(warnings(slow)).toEqual(warnings(fast))
      }),
    )
  })
})
