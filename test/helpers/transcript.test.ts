import { transcript } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { agent, buildConversation, event, visitor } from './build-conversation.js'
import { documented, empty, transfer, triggersOnly } from './scenarios.js'

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']

describe('transcript', () => {
  it('writes the documented example as plain text in UTC by default', () => {
    expect(transcript(documented())).toBe(
      [
        '[2015-03-27 15:33:59 UTC] Dusan Kmet: Hello',
        '[2015-03-27 15:34:06 UTC] * John Doe joined',
        '[2015-03-27 15:34:09 UTC] Automatic message (Test Trigger): This is triggered message',
        '[2015-03-27 15:34:13 UTC] John Doe: Hi, how can i help you ?',
        '[2015-03-27 15:34:33 UTC] Dusan Kmet: tanks.',
        '[2015-03-27 15:34:36 UTC] * Visitor closed the chat',
      ].join('\n'),
    )
    expect(transcript(documented(), { format: 'text', timeZone: 'UTC' })).toBe(transcript(documented()))
  })

  it('writes Markdown', () => {
    expect(transcript(documented(), { format: 'markdown' })).toBe(
      [
        '- **2015-03-27 15:33:59 UTC** **Dusan Kmet:** Hello',
        '- **2015-03-27 15:34:06 UTC** _John Doe joined_',
        '- **2015-03-27 15:34:09 UTC** **Automatic message (Test Trigger):** This is triggered message',
        '- **2015-03-27 15:34:13 UTC** **John Doe:** Hi, how can i help you ?',
        '- **2015-03-27 15:34:33 UTC** **Dusan Kmet:** tanks.',
        '- **2015-03-27 15:34:36 UTC** _Visitor closed the chat_',
      ].join('\n'),
    )
  })

  it('writes an HTML list with machine-readable times', () => {
    const html = transcript(documented(), { format: 'html' })
    expect(html.split('\n').slice(0, 3)).toEqual([
      '<ol class="smartsupp-transcript">',
      '<li data-kind="visitor"><time datetime="2015-03-27T15:33:59.703Z">2015-03-27 15:33:59 UTC</time> <strong>Dusan Kmet</strong>: Hello</li>',
      '<li data-kind="system"><time datetime="2015-03-27T15:34:06.219Z">2015-03-27 15:34:06 UTC</time> <em>John Doe joined</em></li>',
    ])
    expect(html.endsWith('</li>\n</ol>')).toBe(true)
    expect(html.match(/<li /g)).toHaveLength(6)
  })

  it('writes times in the time zone asked for, with the offset, across daylight saving time', () => {
    const c = buildConversation([visitor('winter', 0), visitor('summer', 200 * 24 * 3600)])
    expect(transcript(c, { timeZone: 'Europe/Prague' }).split('\n')).toEqual([
      '[2023-11-14 23:13:20 UTC+01:00] Dusan Kmet: winter',
      '[2024-06-02 00:13:20 UTC+02:00] Dusan Kmet: summer',
    ])
    expect(transcript(c, { timeZone: 'America/New_York' }).split('\n')[0]).toBe(
      '[2023-11-14 17:13:20 UTC-05:00] Dusan Kmet: winter',
    )
    expect(transcript(c, { timeZone: 'Asia/Kolkata' }).split('\n')[0]).toBe(
      '[2023-11-15 03:43:20 UTC+05:30] Dusan Kmet: winter',
    )
  })

  it('truncates to whole seconds, never rounding into the next one', () => {
    const c = buildConversation([visitor('late', 59.999)])
    expect(transcript(c)).toBe('[2023-11-14 22:14:19 UTC] Dusan Kmet: late')
  })

  it('rejects an unknown time zone or format, naming the option', () => {
    const c = documented()
    expect(() => transcript(c, { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError)
    expect(() => transcript(c, { timeZone: 'Mars/Olympus_Mons' })).toThrow(
      /options\.timeZone "Mars\/Olympus_Mons" is not a time zone.*Europe\/Prague/,
    )
    expect(() => transcript(c, { timeZone: '' })).toThrow(RangeError)
    // @ts-expect-error a number is not a time zone
    expect(() => transcript(c, { timeZone: 1 })).toThrow(
      new TypeError(
        "transcript: options.timeZone must be a string naming an IANA time zone, such as 'Europe/Prague' or 'UTC'; got a value of type number",
      ),
    )
    // @ts-expect-error pdf is not a format
    expect(() => transcript(c, { format: 'pdf' })).toThrow(
      new TypeError(`transcript: options.format must be 'text', 'markdown' or 'html'; got "pdf"`),
    )
    // @ts-expect-error options must be an object
    expect(() => transcript(c, null)).toThrow(TypeError)
  })

  it('names two agents of a transfer and labels every event', () => {
    expect(transcript(transfer()).split('\n')).toEqual([
      '[2023-11-14 22:13:20 UTC] Zażółć Gęślą: Dzień dobry, mam pytanie o fakturę 🧾',
      '[2023-11-14 22:13:25 UTC] * Jan Kowalski joined',
      '[2023-11-14 22:13:30 UTC] Jan Kowalski: Dzień dobry! W czym mogę pomóc?',
      '[2023-11-14 22:13:40 UTC] Zażółć Gęślą: Faktura nr 42 nie dotarła',
      '[2023-11-14 22:13:46 UTC] Jan Kowalski: Sprawdzę to',
      '[2023-11-14 22:13:50 UTC] Jan Kowalski: Przekazuję koledze z księgowości',
      '[2023-11-14 22:13:53 UTC] * Jan Kowalski left',
      '[2023-11-14 22:13:55 UTC] * Šárka Dvořáková joined',
      '[2023-11-14 22:14:00 UTC] Zażółć Gęślą: Díky 😊',
      '[2023-11-14 22:14:05 UTC] Zażółć Gęślą: Ještě něco?',
      '[2023-11-14 22:14:30 UTC] Šárka Dvořáková: Fakturu jsem poslala znovu ✅',
      '[2023-11-14 22:14:35 UTC] Šárka Dvořáková: Něco dalšího?',
      '[2023-11-14 22:14:50 UTC] * Visitor closed the chat',
    ])
  })

  it('falls back to names seen elsewhere, then to "Visitor" and "Agent <id>"; unknown codes as they came', () => {
    const named = buildConversation([
      visitor('Hi', 0),
      { type: 'system', from: 'agent:5', content: 'agent.join', at: 1 },
      agent(5, 'Hello', 2),
      agent(6, 'Me too', 3, 'Olga'),
      agent(6, 'Again', 4),
      event('chat.transferred', 5),
    ])
    expect(transcript(named).split('\n')).toEqual([
      '[2023-11-14 22:13:20 UTC] Dusan Kmet: Hi',
      '[2023-11-14 22:13:21 UTC] * Agent 5 joined',
      '[2023-11-14 22:13:22 UTC] Agent 5: Hello',
      '[2023-11-14 22:13:23 UTC] Olga: Me too',
      '[2023-11-14 22:13:24 UTC] Olga: Again',
      '[2023-11-14 22:13:25 UTC] * chat.transferred',
    ])
    const anonymous = buildConversation([visitor('Hi', 0)], { visitor: { name: null } })
    expect(transcript(anonymous)).toBe('[2023-11-14 22:13:20 UTC] Visitor: Hi')
  })

  it('labels the joins, leaves, assignments and closes of agents and visitors; unknown codes as they came', () => {
    const c = buildConversation([
      visitor('Hi', 0),
      { type: 'system', from: 'agent:5', content: 'agent.assign', at: 1 },
      { type: 'system', from: 'agent:5', content: 'agent.join', at: 2, name: 'Eva' },
      agent(5, 'Hello', 3),
      { type: 'system', from: 'agent:5', content: 'agent.unassign', at: 4 },
      { type: 'system', from: 'agent:5', content: 'agent.leave', at: 5 },
      { type: 'system', from: 'agent:5', content: 'close.agentClose', at: 6 },
      event('close.agentClose', 7),
      event('close.visitorClose', 8),
      { type: 'system', from: 'agent:5', content: 'agent.snooze', at: 9, name: 'Eva' },
    ])
    expect(transcript(c).split('\n').slice(1)).toEqual([
      '[2023-11-14 22:13:21 UTC] * Chat assigned to Eva',
      '[2023-11-14 22:13:22 UTC] * Eva joined',
      '[2023-11-14 22:13:23 UTC] Eva: Hello',
      '[2023-11-14 22:13:24 UTC] * Chat unassigned from Eva',
      '[2023-11-14 22:13:25 UTC] * Eva left',
      '[2023-11-14 22:13:26 UTC] * Eva closed the chat',
      '[2023-11-14 22:13:27 UTC] * An agent closed the chat',
      '[2023-11-14 22:13:28 UTC] * Visitor closed the chat',
      '[2023-11-14 22:13:29 UTC] * agent.snooze (Eva)',
    ])
  })

  it('labels triggered messages', () => {
    expect(transcript(triggersOnly())).toBe(
      [
        '[2023-11-14 22:13:20 UTC] Automatic message (Welcome): Dobrý den! Můžeme pomoci?',
        '[2023-11-14 22:13:50 UTC] Automatic message (Follow-up): Jsme tu 👋',
      ].join('\n'),
    )
  })

  it('is empty for a conversation with no messages', () => {
    expect(transcript(empty())).toBe('')
    expect(transcript(empty(), { format: 'markdown' })).toBe('')
    expect(transcript(empty(), { format: 'html' })).toBe('<ol class="smartsupp-transcript">\n</ol>')
  })

  it('lists out-of-order messages by their timestamps', () => {
    const c = buildConversation([
      visitor('Hi', 0),
      agent(3, 'Hello', 10, 'Ann'),
      visitor('Are you there?', 3),
    ])
    expect(
      transcript(c)
        .split('\n')
        .map((line) => line.slice(26)),
    ).toEqual(['Dusan Kmet: Hi', 'Dusan Kmet: Are you there?', 'Ann: Hello'])
  })

  it('indents continuation lines so no content can pass for a line of its own', () => {
    const c = buildConversation([
      visitor('first line\n[2023-11-14 22:13:21 UTC] Ann: refund approved\r\nthird', 0),
      agent(3, 'ok', 1, 'Ann\nEvil'),
    ])
    expect(transcript(c).split('\n')).toEqual([
      '[2023-11-14 22:13:20 UTC] Dusan Kmet: first line',
      '    [2023-11-14 22:13:21 UTC] Ann: refund approved',
      '    third',
      '[2023-11-14 22:13:21 UTC] Ann Evil: ok',
    ])
    expect(transcript(c, { format: 'html' })).toContain(
      'first line<br>[2023-11-14 22:13:21 UTC] Ann: refund approved<br>third',
    )
  })

  it('escapes HTML in every name and content, so it shows as text', () => {
    const c = buildConversation(
      [
        visitor(XSS[0] as string, 0, XSS[1]),
        agent(3, XSS[1] as string, 1, XSS[0]),
        { type: 'agent', from: 'system', content: XSS[0] as string, at: 2, triggeredBy: XSS[1] as string },
        { type: 'system', from: 'agent:3', content: 'agent.join', at: 3, name: XSS[1] as string },
        { type: 'system', from: 'system', content: XSS[0] as string, at: 4 },
      ],
      { visitor: { name: XSS[0] } },
    )
    const html = transcript(c, { format: 'html' })
    // The only tags are the transcript's own.
    const tags = html.match(/<[^>]*>/g) ?? []
    for (const tag of tags) expect(tag).toMatch(/^<\/?(ol|li|time|strong|em|br)( [a-z-]+="[^"<>]*")*>$/)
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain(
      '<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
    )
  })

  it('escapes Markdown, so no content becomes HTML, a link or emphasis', () => {
    const c = buildConversation([
      visitor(`${XSS[0]} [click](http://evil.example) **bold** _it_ \`code\` &amp;`, 0, '*Star*'),
      visitor('line one\n# heading\n- item\n1. first\n===\n    indented', 1),
    ])
    const md = transcript(c, { format: 'markdown' })
    expect(md.split('\n')).toEqual([
      '- **2023-11-14 22:13:20 UTC** **\\*Star\\*:** \\<script\\>alert(1)\\</script\\> \\[click\\](http\\://evil.example) \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\&amp;',
      '- **2023-11-14 22:13:21 UTC** **Dusan Kmet:** line one\\',
      '  \\# heading\\',
      '  \\- item\\',
      '  1\\. first\\',
      '  \\===\\',
      '  indented',
    ])
  })
})
