import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { closedObject } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'

describe('closedObject', () => {
  const X = closedObject('X', { a: t.number }, { b: t.string })

  it('accepts the required keys, with or without the optional ones', () => {
    for (const value of [{ a: 1 }, { a: 1, b: 'x' }]) {
      expect(X.is(value)).toBe(true)
      expect(isRight(X.decode(value))).toBe(true)
    }
  })

  it('rejects a key it does not declare, naming it', () => {
    const value = { a: 1, c: 2 }
    expect(X.is(value)).toBe(false)
    const result = X.decode(value)
    expect(isLeft(result)).toBe(true)
    if (isLeft(result)) {
      expect(result.left.map((e) => e.message)).toContain('unknown field "c"')
      expect(result.left.map((e) => e.context.map((c) => c.key).join('.'))).toContain('.c')
    }
  })

  it('still checks the declared keys', () => {
    expect(X.is({ b: 'x' })).toBe(false)
    expect(X.is({ a: 1, b: 2 })).toBe(false)
    expect(isLeft(X.decode({ a: 'one' }))).toBe(true)
  })

  it('lists its keys, required and optional', () => {
    expect([...X.keys].sort()).toEqual(['a', 'b'])
    expect(Object.keys(X.required)).toEqual(['a'])
    expect(Object.keys(X.optional)).toEqual(['b'])
  })
})
