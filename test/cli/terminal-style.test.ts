import { describe, expect, it } from 'vitest'
import {
  colorEnabled,
  displayLine,
  guardTerminal,
  oneLine,
  printable,
  terminalStyle,
} from '../../src/cli/terminal-style.js'

describe('terminal style', () => {
  it('colours only a TTY, and never with NO_COLOR set', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true)
    expect(colorEnabled({ isTTY: false }, {})).toBe(false)
    expect(colorEnabled({}, {})).toBe(false)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
  })

  it('paints only when enabled', () => {
    expect(terminalStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m')
    expect(terminalStyle(false).red('x')).toBe('x')
  })

  it('shows control characters from payloads instead of sending them to the terminal', () => {
    expect(printable('a\u001b[2Jb\u0007\tc\nd\u009b')).toBe('a\\u001b[2Jb\\u0007\tc\nd\\u009b')
    expect(oneLine('a\n  b\r\nc')).toBe('a b c')
  })
})

describe('bidi and line-separator characters', () => {
  it('printable escapes bidi marks, embeddings, overrides and isolates, and U+2028/9', () => {
    const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029'
    expect(printable(`a${bidi}b`)).toBe(
      'a\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u2028\\u2029b',
    )
    // Other non-ASCII text is left alone.
    expect(printable('Žluťoučký kůň, שלום, 😀')).toBe('Žluťoučký kůň, שלום, 😀')
  })

  it('guardTerminal escapes them (and DEL, C1) in everything written, keeps C0 for colours, and undoes itself', () => {
    const written: unknown[] = []
    const stream = { write: (chunk: unknown) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream
    const undo = guardTerminal(stream)
    stream.write('\u001b[31mred\u001b[39m \u202eevil\u009b \u007f')
    stream.write(Buffer.from('bytes'))
    undo()
    stream.write('\u202e')
    expect(written.slice(0, 1)).toEqual(['\u001b[31mred\u001b[39m \\u202eevil\\u009b \\u007f'])
    expect(Buffer.isBuffer(written[1])).toBe(true)
    expect(written[2]).toBe('\u202e')
  })
})

describe('displayLine', () => {
  it('folds line breaks and escapes C0 and C1 controls, ESC (U+001B) and CSI (U+009B) included', () => {
    expect(displayLine('a\u001b[31mb\r\nc\u009b2Jd\u0000')).toBe('a\\u001b[31mb c\\u009b2Jd\\u0000')
  })
})
