import { describe, expect, it } from 'vitest'
import { decodeConversation, parseConversation } from '../../src/index.js'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'

const visitorKey = 'mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015'

describe('the documented example', () => {
  for (const mode of ['lenient', 'strict'] as const) {
    it(`decodes to exactly the expected model (${mode})`, () => {
      const result = parseConversation(documentedExampleBytes, { mode })
      if (result._tag === 'Left') throw new Error(result.left.message)
      const c = result.right
      const { raw, ...model } = c
      expect(model).toStrictEqual({
        source: 'post-hook',
        id: '55039',
        accountId: '208',
        beginAt: new Date('2015-03-27T15:33:59.703Z'),
        endAt: new Date('2015-03-27T15:34:36.687Z'),
        flags: {
          isChat: true,
          isMissed: false,
          isTriggered: true,
          isOffline: false,
          isCompleted: true,
          isDropped: false,
        },
        reported: {
          durationSeconds: 36,
          averageResponseSeconds: 14,
          firstResponseSeconds: 14,
          messageCount: 5,
          wordCount: 11,
        },
        rating: { value: 5, comment: '' },
        visitor: {
          id: '27671',
          name: 'Dusan Kmet',
          email: 'dusan@domain.com',
          note: 'VIP customer',
          group: null,
          ipAddress: '89.235.0.55',
          city: 'Czech Republic',
          countryCode: 'CZ',
          country: 'Brno',
          userAgent:
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.89 Safari/537.36',
          platform: 'MacIntel',
          referer: '',
          variables: Object.assign(Object.create(null), {
            chatId: { label: 'Chat ID', value: 208 },
            chatPackage: { label: 'Chat Package', value: 'pro' },
            userId: { label: 'User ID', value: '1234' },
          }),
        },
        paths: [
          { url: 'http://developers.smartsupp.com/smartsupp/hook-post', title: 'POST Hook · Smartsupp' },
          { url: 'http://developers.smartsupp.com', title: 'API · Smartsupp' },
        ],
        messages: [
          {
            kind: 'visitor',
            sender: { kind: 'visitor', key: visitorKey },
            name: null,
            content: 'Hello',
            sentAt: new Date(1427470439703),
            triggeredBy: null,
          },
          {
            kind: 'system',
            sender: { kind: 'agent', id: '3' },
            name: 'John Doe',
            content: 'agent.join',
            sentAt: new Date(1427470446219),
            triggeredBy: null,
            event: 'agent.join',
          },
          {
            kind: 'trigger',
            sender: { kind: 'system' },
            name: '',
            content: 'This is triggered message',
            sentAt: new Date(1427470449706),
            triggeredBy: 'Test Trigger',
          },
          {
            kind: 'agent',
            sender: { kind: 'agent', id: '3' },
            name: 'John Doe',
            content: 'Hi, how can i help you ?',
            sentAt: new Date(1427470453772),
            triggeredBy: null,
          },
          {
            kind: 'visitor',
            sender: { kind: 'visitor', key: visitorKey },
            name: 'Dusan Kmet',
            content: 'tanks.',
            sentAt: new Date(1427470473124),
            triggeredBy: null,
          },
          {
            kind: 'system',
            sender: { kind: 'system' },
            name: 'Dusan Kmet',
            content: 'close.visitorClose',
            sentAt: new Date(1427470476687),
            triggeredBy: null,
            event: 'close.visitorClose',
          },
        ],
        warnings: [],
        warningCount: 0,
      })
      expect(raw).toStrictEqual(documentedExample())
    })
  }

  it('keeps the input itself as raw when decoding a parsed value', () => {
    const value = documentedExample()
    const result = decodeConversation(value)
    expect(result._tag === 'Right' && result.right.raw).toBe(value)
  })

  it('decodes the same from a string, a Buffer and a plain Uint8Array', () => {
    const fromString = parseConversation(documentedExampleBytes.toString('utf8'))
    const fromBuffer = parseConversation(documentedExampleBytes)
    const fromBytes = parseConversation(new Uint8Array(documentedExampleBytes))
    expect(fromBuffer).toStrictEqual(fromString)
    expect(fromBytes).toStrictEqual(fromString)
  })

  it('reads visitor variables from an object without a prototype', () => {
    const result = parseConversation(documentedExampleBytes)
    if (result._tag === 'Left') throw new Error(result.left.message)
    const variables = result.right.visitor?.variables
    expect(Object.getPrototypeOf(variables)).toBeNull()
    expect(variables?.userId?.value).toBe('1234')
    expect(variables?.toString).toBeUndefined()
  })
})
