import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { htmlToText } from '../../src/decode/webhook/plan-finishers.js'

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' }

/** The three replacements `htmlToText` is defined by; its one-scan fast path must agree. */
function reference(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(?:p|div|li)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .trim()
}

describe('htmlToText', () => {
  it('reads a bot message', () => {
    expect(htmlToText('<p>Free shipping over <b>1&nbsp;000&nbsp;CZK</b> today!</p><p>Ask<br/>us</p>')).toBe(
      'Free shipping over 1 000 CZK today!\nAsk\nus',
    )
  })

  it('agrees with the regular-expression definition on any mix of tags, brackets and entities', () => {
    const piece = fc.constantFrom(
      ...['<', '>', '/', 'br', 'BR', ' ', 'p', 'div', 'li', 'b', '&', 'amp', ';', 'nbsp', '#39', 'x', '\n'],
      ...['<br/>', '</p>', '</DIV>', '<br >', '<b>', '&lt;', '&amp;', '<a href="x">'],
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const html = pieces.join('')
        expect(htmlToText(html)).toBe(reference(html))
      }),
      { numRuns: 5000 },
    )
  })
})
