import type { ConversationPayload } from '../codecs/conversation.js'

/**
 * The example request from Smartsupp's documentation, field for field, as a fresh deep copy
 * (tests may mutate it). Its quirks are kept: `city` and `country` swapped, `messagesCount` 5
 * for 6 entries, no `name` on the first message.
 */
export function documentedExample(): ConversationPayload {
  const visitorKey = 'visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015'
  return {
    accountId: 208,
    beginAt: 1427470439703,
    endAt: 1427470476687,
    channel: {
      id: 55039,
      isChat: true,
      isMissed: false,
      isTriggered: true,
      isOffline: false,
      isCompleted: true,
      isDropped: false,
      duration: 36,
      avgResponse: 14,
      firstResponse: 14,
      messagesCount: 5,
      wordsCount: 11,
      rating: 5,
      ratingDesc: '',
    },
    visitor: {
      id: 27671,
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
      variables: {
        chatId: { label: 'Chat ID', value: 208 },
        chatPackage: { label: 'Chat Package', value: 'pro' },
        userId: { label: 'User ID', value: '1234' },
      },
    },
    paths: [
      { url: 'http://developers.smartsupp.com/smartsupp/hook-post', title: 'POST Hook · Smartsupp' },
      { url: 'http://developers.smartsupp.com', title: 'API · Smartsupp' },
    ],
    messages: [
      { type: 'visitor', from: visitorKey, content: 'Hello', sentAt: 1427470439703, triggeredBy: null },
      {
        type: 'system',
        name: 'John Doe',
        from: 'agent:3',
        content: 'agent.join',
        sentAt: 1427470446219,
        triggeredBy: null,
      },
      {
        type: 'agent',
        name: '',
        from: 'system',
        content: 'This is triggered message',
        sentAt: 1427470449706,
        triggeredBy: 'Test Trigger',
      },
      {
        type: 'agent',
        name: 'John Doe',
        from: 'agent:3',
        content: 'Hi, how can i help you ?',
        sentAt: 1427470453772,
        triggeredBy: null,
      },
      {
        type: 'visitor',
        name: 'Dusan Kmet',
        from: visitorKey,
        content: 'tanks.',
        sentAt: 1427470473124,
        triggeredBy: null,
      },
      {
        type: 'system',
        name: 'Dusan Kmet',
        from: 'system',
        content: 'close.visitorClose',
        sentAt: 1427470476687,
        triggeredBy: null,
      },
    ],
  }
}
