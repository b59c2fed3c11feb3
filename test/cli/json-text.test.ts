import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonText } from '../../src/cli/json-text.js'

/** `depth` arrays and objects nested in turn, a string at the bottom. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value }
  return value
}

describe('jsonText', () => {
  it('writes what JSON.stringify writes, for any JSON value, compact and indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (value, indent) => {
        expect(jsonText(value, indent)).toBe(JSON.stringify(value, null, indent))
      }),
      { numRuns: 500 },
    )
  })

  it('writes what JSON.stringify writes for what it special-cases: toJSON, undefined, functions, NaN, boxed values', () => {
    const value = {
      at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      gone: undefined,
      fn: () => 1,
      sym: Symbol('s'),
      list: [
        undefined,
        () => 1,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -0,
        new Number(3),
        new String('s'),
        new Boolean(false),
      ],
      custom: { toJSON: (key: string) => `key ${key}` },
      empty: {},
      none: [],
      nested: { deeper: [{ a: null }] },
    }
    for (const indent of [0, 2]) expect(jsonText(value, indent)).toBe(JSON.stringify(value, null, indent))
    expect(jsonText(undefined)).toBeUndefined()
    expect(jsonText(() => 1)).toBeUndefined()
  })

  it('refuses a cycle and a BigInt as JSON.stringify does, but not an object met twice', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => jsonText(cycle)).toThrow(TypeError)
    expect(() => jsonText({ n: 1n })).toThrow(TypeError)
    const shared = { a: 1 }
    expect(jsonText({ x: shared, y: [shared] })).toBe(JSON.stringify({ x: shared, y: [shared] }))
  })

  it('writes 200 000 levels of nesting, where JSON.stringify overflows the stack', () => {
    const deep = nested(200_000)
    expect(() => JSON.stringify(deep)).toThrow(RangeError)
    const compact = jsonText(deep) as string
    expect(compact).toBe(`${'{"k":['.repeat(100_000)}"bottom"${']}'.repeat(100_000)}`)
    // Indented 4 levels deep, compact below: valid JSON of the same value, linear in size.
    const text = jsonText(deep, 2, 4) as string
    expect(text.startsWith('{\n  "k": [\n    {\n      "k": [\n        {"k":[{"k":')).toBe(true)
    expect(text.length).toBeLessThan(compact.length + 100)
    expect(text.replace(/\s+/g, '')).toBe(compact)
  })

  it('is JSON.stringify(value, null, indent) down to indentDepth, and compact below it', () => {
    const value = { a: { b: { c: { d: [1, { e: 2 }] } } }, f: [] }
    expect(jsonText(value, 2, 2)).toBe('{\n  "a": {\n    "b": {"c":{"d":[1,{"e":2}]}}\n  },\n  "f": []\n}')
    expect(JSON.parse(jsonText(value, 2, 2) as string)).toEqual(value)
  })
})
