import fc from 'fast-check'
import {
  agents,
  type ConversationPayload,
  category,
  chronologicalMessages,
  decodeConversation,
  decodeConversationOrThrow,
  durations,
  idempotencyKey,
  isChat,
  isCompleted,
  isDropped,
  isMissed,
  isOffline,
  isTriggered,
  messagesByAgent,
  messagesOfKind,
  summary,
  systemEvents,
  transcript,
  triggeredMessages,
  visitorMessages,
} from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { conversationPayload, mutatedPayload } from '../support/arbitraries.js'
import { asAssembled } from '../support/assembled.js'

const decode = (p: ConversationPayload) => decodeConversationOrThrow(p, { mode: 'strict' })

/** The payload with its messages sorted by sentAt and beginAt/endAt around them. */
function ordered(p: ConversationPayload): ConversationPayload {
  const messages = [...p.messages].sort((a, b) => a.sentAt - b.sentAt)
  const times = [p.beginAt, p.endAt, ...messages.map((m) => m.sentAt)]
  return { ...p, messages, beginAt: Math.min(...times), endAt: Math.max(...times) }
}

/** Text made mostly of characters that mean something in HTML, Markdown or a transcript line. */
const markup = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '&',
    '"',
    "'",
    '/',
    '=',
    '\\',
    '*',
    '_',
    '`',
    '[',
    ']',
    '#',
    '-',
    '1',
    '.',
    ' ',
    '\n',
    '\r',
    'a',
    'é',
    '😊',
  ),
  maxLength: 24,
})

/** Payloads whose message contents and names, and visitor name, are mostly markup. */
const hostilePayload = fc
  .tuple(conversationPayload(), fc.array(markup, { minLength: 25, maxLength: 25 }))
  .map(([p, texts]): ConversationPayload => {
    const pick = (i: number) => texts[i % texts.length] as string
    return {
      ...p,
      visitor: { ...p.visitor, name: pick(24) },
      messages: p.messages.map((m, i) => ({
        ...m,
        content: m.type === 'system' ? m.content : pick(2 * i),
        name: pick(2 * i + 1),
        triggeredBy: m.triggeredBy === null ? null : pick(23),
      })),
    }
  })

const lines = (text: string) => text.split(/\r\n|\r|\n/)

/** The text a browser shows for the transcript's HTML, with `<br>` as a newline. */
function htmlText(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, entity: string) =>
      entity === 'lt' ? '<' : entity === 'gt' ? '>' : entity === 'quot' ? '"' : entity === '#39' ? "'" : '&',
    )
}

/** Markdown with its backslash escapes removed. */
const markdownText = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1')

describe('helper properties', () => {
  it('no helper throws on any conversation lenient decoding returns', () => {
    fc.assert(
      fc.property(mutatedPayload(), (input) => {
        const result = decodeConversation(input)
        if (result._tag === 'Left') return
        const c = result.right
        for (const status of [isChat, isMissed, isOffline, isCompleted, isDropped, isTriggered]) status(c)
        category(c)
        durations(c)
        agents(c)
        messagesByAgent(c)
        visitorMessages(c)
        triggeredMessages(c)
        systemEvents(c)
        const ordered = chronologicalMessages(c)
        expect(ordered).toHaveLength(c.messages.length)
        const kinds = ['visitor', 'agent', 'trigger', 'system'] as const
        const byKind = kinds.map((kind) => messagesOfKind(c, kind))
        // The four kinds split the messages, each in time order.
        expect(byKind.flat()).toHaveLength(c.messages.length)
        for (const [i, kind] of kinds.entries()) {
          expect(byKind[i]).toEqual(ordered.filter((m) => m.kind === kind))
        }
        idempotencyKey(c)
        for (const format of ['text', 'markdown', 'html'] as const) transcript(c, { format })
        const s = summary(c)
        expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s)
      }),
      { numRuns: 300 },
    )
  })

  it('messagesByAgent partitions exactly the human agent messages, each by its own agent, in time order', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const c = decode(p)
        const byAgent = messagesByAgent(c)
        const all = [...byAgent.values()].flat()
        const human = c.messages.filter((m) => m.kind === 'agent')
        expect(all).toHaveLength(human.length)
        expect(new Set(all)).toEqual(new Set(human))
        for (const [id, list] of byAgent) {
          expect(list.length).toBeGreaterThan(0)
          for (let i = 0; i < list.length; i++) {
            expect(list[i]?.sender.id).toBe(id)
            if (i > 0)
              expect(list[i]?.sentAt.getTime()).toBeGreaterThanOrEqual(list[i - 1]?.sentAt.getTime() ?? 0)
          }
        }
        const counted = agents(c).reduce((sum, a) => sum + a.messageCount, 0)
        expect(counted).toBe(human.length)
      }),
    )
  })

  it('durations are never negative for ordered messages, and agree with each other', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const c = decode(ordered(p))
        const d = durations(c)
        expect(d.totalMs).toBeGreaterThanOrEqual(0)
        for (const ms of [d.firstResponseMs, d.averageResponseMs, d.longestResponseMs, d.waitForAgentMs]) {
          if (ms !== null) expect(ms).toBeGreaterThanOrEqual(0)
        }
        for (const a of agents(c))
          if (a.firstResponseMs !== null) expect(a.firstResponseMs).toBeGreaterThanOrEqual(0)
        expect(d.answeredTurnCount).toBeLessThanOrEqual(d.visitorTurnCount)
        expect(d.firstResponseMs === null).toBe(d.answeredTurnCount === 0)
        if (d.longestResponseMs !== null) {
          expect(d.averageResponseMs ?? Number.NaN).toBeLessThanOrEqual(d.longestResponseMs)
          expect(d.firstResponseMs ?? Number.NaN).toBeLessThanOrEqual(d.longestResponseMs)
        }
      }),
    )
  })

  it('the same messages in any order give the same durations and transcript', () => {
    fc.assert(
      fc.property(conversationPayload(), fc.infiniteStream(fc.nat()), (p, seeds) => {
        // Distinct timestamps, so that time order alone decides.
        const distinct = { ...p, messages: p.messages.map((m, i) => ({ ...m, sentAt: m.sentAt * 100 + i })) }
        // Shuffled: each message sorted by a random key.
        const keys = seeds[Symbol.iterator]()
        const keyed = distinct.messages.map((m) => ({ m, key: keys.next().value as number }))
        const shuffled = { ...distinct, messages: keyed.sort((x, y) => x.key - y.key).map(({ m }) => m) }
        const a = decode(distinct)
        const b = decode(shuffled)
        expect(durations(b)).toStrictEqual(durations(a))
        expect(transcript(b)).toBe(transcript(a))
      }),
    )
  })

  it('transcript contains every message, in every format', () => {
    fc.assert(
      fc.property(fc.oneof(conversationPayload(), hostilePayload), (p) => {
        const c = decode(p)
        const text = transcript(c)
        const html = htmlText(transcript(c, { format: 'html' }))
        const md = markdownText(transcript(c, { format: 'markdown' }))
        expect(text.split('\n').filter((l) => l.startsWith('['))).toHaveLength(c.messages.length)
        for (const m of c.messages) {
          if (m.kind === 'system') continue // shown as a sentence or, when unknown, as its code (below)
          expect(text).toContain(lines(m.content).join('\n    '))
          expect(html).toContain(lines(m.content).join('\n'))
          // Markdown drops each line's indentation and the whitespace at the end of a message.
          for (const line of lines(m.content)) expect(md).toContain(line.trim())
        }
        for (const m of c.messages) {
          if (m.kind === 'system' && m.event !== 'agent.join' && m.event !== 'close.visitorClose') {
            expect(text).toContain(lines(m.event).join(' '))
          }
        }
      }),
    )
  })

  it('the HTML transcript has no tags but its own', () => {
    fc.assert(
      fc.property(hostilePayload, (p) => {
        const html = transcript(decode(p), { format: 'html' })
        for (const tag of html.match(/<[^>]*>/g) ?? []) {
          expect(tag).toMatch(/^<\/?(ol|li|time|strong|em|br)( [a-z-]+="[^"<>&]*")*>$/)
        }
      }),
    )
  })

  it('idempotencyKey ignores key order and tells conversations apart', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const key = idempotencyKey(decode(p))
        const reordered = JSON.parse(JSON.stringify(p, (_k, v) => reverse(v)))
        expect(idempotencyKey(decode(reordered))).toBe(key)
        expect(idempotencyKey(decode({ ...p, channel: { ...p.channel, id: p.channel.id + 1 } }))).not.toBe(
          key,
        )
      }),
    )
  })

  it('every helper reads only the common fields: an assembled copy gives the same answers', () => {
    fc.assert(
      fc.property(conversationPayload({ maxMessages: 6 }), (p) => {
        const c = decode(p)
        const a = asAssembled(c)
        expect(summary(a)).toStrictEqual(summary(c))
        expect(agents(a)).toStrictEqual(agents(c))
        expect(durations(a)).toStrictEqual(durations(c))
        expect(messagesByAgent(a)).toStrictEqual(messagesByAgent(c))
        expect(transcript(a, { format: 'html' })).toBe(transcript(c, { format: 'html' }))
        expect(idempotencyKey(a)).toBe(idempotencyKey(c))
        expect([isChat(a), isMissed(a), isOffline(a), category(a)]).toEqual([
          isChat(c),
          isMissed(c),
          isOffline(c),
          category(c),
        ])
      }),
      { numRuns: 100 },
    )
  })

  it('summary survives JSON unchanged', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const s = summary(decode(p))
        expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s)
      }),
    )
  })
})

function reverse(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).reverse())
}
