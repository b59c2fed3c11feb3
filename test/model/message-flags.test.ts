import { describe, expect, it } from 'vitest'
import type { MessageKind } from '../../src/model/message.js'
import { messageFlags } from '../../src/model/message-flags.js'

// The one rule assembly and the testing kit's builder share (Smartsupp's documented example).
describe('messageFlags', () => {
  const flags = (kinds: readonly MessageKind[], closed = true, offline = false) =>
    messageFlags(kinds, closed, offline)

  it("reads the documented example (visitor, join, trigger, agent, visitor, close) as Smartsupp's report", () => {
    expect(flags(['visitor', 'system', 'trigger', 'agent', 'visitor', 'system'])).toEqual({
      isChat: true,
      isMissed: false,
      isTriggered: true,
      isCompleted: true,
    })
  })

  it('is missed when no agent message follows any visitor message, and never completed then', () => {
    expect(flags(['visitor', 'system', 'visitor'])).toMatchObject({ isMissed: true, isCompleted: false })
    expect(flags(['agent', 'visitor'])).toMatchObject({ isChat: true, isMissed: true, isCompleted: false })
    expect(flags(['trigger', 'visitor', 'trigger'])).toMatchObject({ isMissed: true, isTriggered: true })
  })

  it('needs the chat closed to be completed, and a visitor message to be either', () => {
    expect(flags(['visitor', 'agent'], false)).toMatchObject({ isMissed: false, isCompleted: false })
    expect(flags(['trigger', 'agent'])).toEqual({
      isChat: false,
      isMissed: false,
      isTriggered: true,
      isCompleted: false,
    })
    expect(flags([])).toEqual({ isChat: false, isMissed: false, isTriggered: false, isCompleted: false })
  })

  it('never reads an offline message as missed or completed', () => {
    expect(flags(['visitor'], true, true)).toMatchObject({ isMissed: false, isCompleted: false })
    expect(flags(['visitor', 'agent'], true, true)).toMatchObject({ isMissed: false, isCompleted: false })
  })
})
