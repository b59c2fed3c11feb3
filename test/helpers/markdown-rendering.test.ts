import fc from 'fast-check'
// marked is not a dependency of this package: it is installed for @arethetypeswrong/cli. The test
// renders the Markdown transcript as GitHub-flavoured Markdown, the way a CRM or help desk would.
import { Marked } from 'marked'
import { type ConversationPayload, decodeConversationOrThrow, transcript } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { conversationPayload } from '../support/arbitraries.js'
import { agent, buildConversation, trigger, visitor } from './build-conversation.js'

const gfm = new Marked({ gfm: true, async: false })
const render = (markdown: string): string => gfm.parse(markdown) as string

/** The elements a Markdown transcript is made of: a list of entries, bold, italics, line breaks. */
const OWN_ELEMENTS = new Set(['ul', 'li', 'strong', 'em', 'br'])

/** Written to become a link, an image or markup wherever Markdown allows it. */
const ATTACKS = [
  'https://evil.example/login',
  'www.evil.example',
  'a@evil.example',
  'HTTPS://EVIL.EXAMPLE',
  'WWW.evil.example',
  'http://evil.example/?a=1&b=2',
  'ftp://evil.example',
  'mailto:a@evil.example',
  'xmpp:a@evil.example/home',
  '<https://evil.example>',
  '<a@evil.example>',
  '[click](https://evil.example)',
  '[click][x]\n\n[x]: https://evil.example',
  '![x](https://evil.example/x.png)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '<a href="https://evil.example">x</a>',
  '<!-- hidden -->',
  '&lt;script&gt; &#60;b&#62; &amp;',
  '*a* _b_ **c** __d__ ~~e~~ `f`',
  '```\ncode\n```',
  '~~~\ncode',
  '    indented code',
  '# heading',
  'text\n===',
  'text\n---',
  '> quote',
  '- item\n* item\n+ item\n1. item\n2) item',
  '- [ ] task',
  '| a | b |\n| - | - |\n| c | d |',
  'a\\\nb',
  'end\\',
  'trailing\n\n',
  '\n\nleading',
  '[^1]\n\n[^1]: https://evil.example',
  '<div>\n*x*\n</div>',
]

/** Text made mostly of what means something in Markdown, GFM autolinks or HTML. */
const markup = fc.string({
  unit: fc.constantFrom(
    ...'<>&"\'/=\\*_`[]()!#-+.:@|~ \n\r\t'.split(''),
    'www.',
    'http',
    'https://',
    'a',
    'e',
    '1',
    'é',
    'ř',
    '😊',
  ),
  maxLength: 30,
})

/** Anything a visitor might write: attacks, markup, any Unicode, and all three mixed. */
const visitorText = fc.oneof(
  fc.constantFrom(...ATTACKS),
  markup,
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.oneof(fc.constantFrom(...ATTACKS), markup), { maxLength: 4 }).map((parts) => parts.join(' ')),
  fc.array(fc.oneof(fc.constantFrom(...ATTACKS), markup), { maxLength: 4 }).map((parts) => parts.join('\n')),
)

/** Payloads whose message contents, names, trigger names and visitor name are visitor text. */
const hostilePayload = fc
  .tuple(conversationPayload(), fc.array(visitorText, { minLength: 25, maxLength: 25 }))
  .map(([p, texts]): ConversationPayload => {
    const pick = (i: number) => texts[i % texts.length] as string
    return {
      ...p,
      visitor: { ...p.visitor, name: pick(24) },
      messages: p.messages.map((m, i) => ({
        ...m,
        // System events keep their code half of the time, so joins and closes are rendered too.
        content: m.type === 'system' && i % 2 === 0 ? m.content : pick(2 * i),
        name: pick(2 * i + 1),
        triggeredBy: m.triggeredBy === null ? null : pick(23),
      })),
    }
  })

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/**
 * The rendered HTML taken apart: the names of its elements (with any attributes) and its text,
 * with `<br>` as a newline and entities decoded. Any `<` in the output starts a tag, since marked
 * writes a `<` of the text as `&lt;`.
 */
function parseHtml(html: string): { tags: string[]; text: string } {
  const tags: string[] = []
  let text = ''
  for (const [, tag, chunk] of html.matchAll(/<([^>]*)>|([^<]+)/g)) {
    if (tag !== undefined) {
      tags.push(tag)
      if (tag === 'br') text += '\n'
    } else if (chunk !== undefined) {
      text += chunk.replace(/&(#?\w+);/g, (entity, name: string) => {
        if (ENTITIES[name] !== undefined) return ENTITIES[name]
        throw new Error(`unexpected entity ${entity} in ${JSON.stringify(html)}`)
      })
    }
  }
  return { tags, text }
}

const lines = (text: string) => text.split(/\r\n|\r|\n/)

/**
 * What a message's content looks like once rendered: every line without its leading indentation,
 * trailing blank lines dropped (the transcript's documented Markdown form), and no whitespace at
 * the very end (Markdown strips it from the end of a paragraph).
 */
function renderedContent(content: string): string {
  const kept = lines(content).map((line) => line.trimStart())
  while (kept.length > 1 && kept[kept.length - 1] === '') kept.pop()
  return kept.join('\n').trimEnd()
}

function expectOnlyOwnElements(html: string): void {
  expect(html).not.toMatch(/<a[\s>]/i)
  expect(html).not.toMatch(/<script/i)
  expect(html).not.toMatch(/<img/i)
  for (const tag of parseHtml(html).tags) {
    expect(tag, `element <${tag}> in ${html}`).toMatch(/^\/?(ul|li|strong|em|br)$/)
    expect(OWN_ELEMENTS.has(tag.replace('/', ''))).toBe(true)
  }
}

describe('the Markdown transcript rendered as GitHub-flavoured Markdown (marked)', () => {
  it('turns no link, e-mail address or markup a visitor wrote into an element', () => {
    const c = buildConversation(
      [
        ...ATTACKS.map((text, i) => visitor(text, i, ATTACKS[(i + 1) % ATTACKS.length])),
        agent(3, ATTACKS.join(' '), 100, 'www.evil.example'),
        trigger('https://evil.example', 'a@evil.example', 101),
      ],
      { visitor: { name: 'a@evil.example' } },
    )
    const html = render(transcript(c, { format: 'markdown' }))
    expectOnlyOwnElements(html)
    const { text } = parseHtml(html)
    for (const attack of ATTACKS) expect(text).toContain(renderedContent(attack))
  })

  it('shows the three kinds of GFM autolink as the text that was written', () => {
    const c = buildConversation([visitor('https://evil.example/login www.evil.example a@evil.example', 0)])
    const md = transcript(c, { format: 'markdown' })
    expect(md).toBe(
      '- **2023-11-14 22:13:20 UTC** **Dusan Kmet:** https\\://evil.example/login www\\.evil.example a\\@evil.example',
    )
    expect(render(md)).toBe(
      '<ul>\n<li><strong>2023-11-14 22:13:20 UTC</strong> <strong>Dusan Kmet:</strong> https://evil.example/login www.evil.example a@evil.example</li>\n</ul>\n',
    )
  })

  it('drops blank lines at the end of a message, which would end the list item', () => {
    const c = buildConversation([visitor('thanks\n\n  \n', 0), agent(3, 'bye', 1, 'Ann')])
    const md = transcript(c, { format: 'markdown' })
    expect(md.split('\n')).toEqual([
      '- **2023-11-14 22:13:20 UTC** **Dusan Kmet:** thanks',
      '- **2023-11-14 22:13:21 UTC** **Ann:** bye',
    ])
    expect(render(md)).not.toContain('<p>')
  })

  it('for any content and names: only the transcript’s own elements, one item per message, every content as text', () => {
    fc.assert(
      fc.property(hostilePayload, (p) => {
        const c = decodeConversationOrThrow(p, { mode: 'strict' })
        const html = render(transcript(c, { format: 'markdown' }))
        expectOnlyOwnElements(html)
        const { tags, text } = parseHtml(html)
        expect(tags.filter((t) => t === 'li')).toHaveLength(c.messages.length)
        for (const m of c.messages) {
          if (m.kind !== 'system') expect(text).toContain(renderedContent(m.content))
        }
      }),
      { numRuns: 500 },
    )
  })
})
