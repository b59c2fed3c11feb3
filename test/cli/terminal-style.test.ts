import { describe, expect, it } from 'vitest'
import { colorEnabled, displayLine, oneLine, printable, terminalStyle } from '../../src/cli/terminal-style.js'

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

describe('displayLine', () => {
  it('folds line breaks and escapes C0 and C1 controls, ESC (U+001B) and CSI (U+009B) included', () => {
    expect(displayLine('a\u001b[31mb\r\nc\u009b2Jd\u0000')).toBe('a\\u001b[31mb c\\u009b2Jd\\u0000')
  })
})
