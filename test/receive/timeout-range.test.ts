import { smartsuppHook } from 'smartsupp-hook/express'
import { createSmartsuppFetchHandler } from 'smartsupp-hook/fetch'
import { createSmartsuppListener } from 'smartsupp-hook/node'
import { describe, expect, it } from 'vitest'
import { checkTimeout } from '../../src/receive/receive-options.js'

// docs/receiving.md: timeoutMs is a whole number of milliseconds from 1 to 2 147 483 647 (setTimeout's ceiling).
const refused = [0, 2 ** 31, 1.5, Number.NaN, -1, Number.POSITIVE_INFINITY, '1000'] as const
const accepted = [1, 2 ** 31 - 1, 10_000] as const
const factories = [
  [
    'smartsuppHook',
    (timeoutMs: unknown) => smartsuppHook({ onConversation: () => {}, timeoutMs: timeoutMs as number }),
  ],
  [
    'createSmartsuppListener',
    (timeoutMs: unknown) =>
      createSmartsuppListener({ onConversation: () => {}, timeoutMs: timeoutMs as number }),
  ],
  [
    'createSmartsuppFetchHandler',
    (timeoutMs: unknown) =>
      createSmartsuppFetchHandler({ onConversation: () => {}, timeoutMs: timeoutMs as number }),
  ],
] as const

describe('timeoutMs: 1 to 2 147 483 647 ms, else a TypeError naming the option', () => {
  it.each(refused)('checkTimeout refuses %s', (timeoutMs) => {
    expect(() => checkTimeout(timeoutMs)).toThrow(TypeError)
    expect(() => checkTimeout(timeoutMs)).toThrow(/options\.timeoutMs/)
  })

  it.each(accepted)('checkTimeout accepts %s', (timeoutMs) => {
    expect(checkTimeout(timeoutMs)).toBe(timeoutMs)
  })

  for (const [name, create] of factories) {
    it(`${name} throws the TypeError when created, for each refused value, and accepts both bounds`, () => {
      for (const timeoutMs of refused) {
        expect(() => create(timeoutMs), String(timeoutMs)).toThrow(TypeError)
        expect(() => create(timeoutMs), String(timeoutMs)).toThrow(/options\.timeoutMs/)
      }
      for (const timeoutMs of accepted) expect(() => create(timeoutMs)).not.toThrow()
    })
  }
})
