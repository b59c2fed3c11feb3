import {
  category,
  decodeConversationOrThrow,
  isChat,
  isCompleted,
  isDropped,
  isMissed,
  isOffline,
  isTriggered,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { documentedExample } from '../support/payloads.js'
import { buildConversation, visitor } from './build-conversation.js'
import { documented, missed, offline } from './scenarios.js'

const withFlags = (flags: Record<string, boolean>) =>
  buildConversation([visitor('Hi', 0)], { channel: flags })
const ALL_FALSE = {
  isChat: false,
  isMissed: false,
  isTriggered: false,
  isOffline: false,
  isCompleted: false,
  isDropped: false,
}

describe('status predicates', () => {
  it("read Smartsupp's flags on the documented example", () => {
    const c = documented()
    expect([isChat(c), isMissed(c), isTriggered(c), isOffline(c), isCompleted(c), isDropped(c)]).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ])
  })

  it('each reads its own flag and nothing else', () => {
    const predicates = { isChat, isMissed, isTriggered, isOffline, isCompleted, isDropped }
    for (const flag of Object.keys(predicates)) {
      const c = withFlags({ ...ALL_FALSE, [flag]: true })
      for (const [other, otherPredicate] of Object.entries(predicates)) {
        expect(otherPredicate(c), `${other} when only ${flag} is set`).toBe(other === flag)
      }
    }
  })

  it('read a flag that lenient decoding turned into null as false', () => {
    const p = documentedExample()
    for (const flag of Object.keys(ALL_FALSE)) p.channel[flag] = 'yes'
    const c = decodeConversationOrThrow(p)
    expect(c.flags.isChat).toBeNull()
    expect([isChat(c), isMissed(c), isTriggered(c), isOffline(c), isCompleted(c), isDropped(c)]).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ])
    expect(category(c)).toBe('chat')
  })
})

describe('category', () => {
  it('tells the three kinds of the bundled payloads apart', () => {
    expect(category(documented())).toBe('chat')
    expect(category(missed())).toBe('missed')
    expect(category(offline())).toBe('offline')
  })

  it('puts offline before missed, and missed before chat', () => {
    expect(category(withFlags({ ...ALL_FALSE, isOffline: true, isMissed: true }))).toBe('offline')
    expect(category(withFlags({ ...ALL_FALSE, isMissed: true, isChat: true }))).toBe('missed')
    expect(category(withFlags({ ...ALL_FALSE, isChat: true }))).toBe('chat')
    expect(category(withFlags(ALL_FALSE))).toBe('chat')
  })
})
