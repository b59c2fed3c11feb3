import { messagesOfKind, systemEvents, triggeredMessages, visitorMessages } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { documented, empty, offline, transfer, triggersOnly } from './scenarios.js'

const contents = (list: readonly { content: string }[]) => list.map((m) => m.content)

describe('messages by kind', () => {
  it('picks each kind out of the documented example', () => {
    const c = documented()
    expect(contents(visitorMessages(c))).toEqual(['Hello', 'tanks.'])
    expect(contents(triggeredMessages(c))).toEqual(['This is triggered message'])
    expect(systemEvents(c).map((m) => m.event)).toEqual(['agent.join', 'close.visitorClose'])
    expect(contents(messagesOfKind(c, 'agent'))).toEqual(['Hi, how can i help you ?'])
  })

  it('keeps diacritics and emoji as they came', () => {
    expect(contents(visitorMessages(transfer()))).toEqual([
      'Dzień dobry, mam pytanie o fakturę 🧾',
      'Faktura nr 42 nie dotarła',
      'Díky 😊',
      'Ještě něco?',
    ])
    expect(contents(visitorMessages(offline()))).toEqual([
      'Proszę o kontakt w sprawie faktury nr 2024/11/0042, dziękuję.',
    ])
    expect(systemEvents(transfer()).map((m) => m.event)).toEqual([
      'agent.join',
      'agent.leave',
      'agent.join',
      'close.visitorClose',
    ])
  })

  it('finds only triggers in a conversation of triggers, and nothing in an empty one', () => {
    expect(contents(triggeredMessages(triggersOnly()))).toEqual(['Dobrý den! Můžeme pomoci?', 'Jsme tu 👋'])
    expect(visitorMessages(triggersOnly())).toEqual([])
    for (const list of [visitorMessages, triggeredMessages, systemEvents]) expect(list(empty())).toEqual([])
  })
})
