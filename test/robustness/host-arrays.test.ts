import { runInNewContext } from 'node:vm'
import { decodeConversation, parseConversation } from 'smartsupp-hook'
import { describe, expect, it } from 'vitest'
import { documentedExample, documentedExampleBytes } from '../support/payloads.js'

// A host can make an array of any length for free (`new Array(2 ** 32 - 1)`); walking its holes
// one issue each would take minutes. Past a million issues the rest is reported as one issue.
describe('arrays a host passes', () => {
  it('stops reading a huge sparse messages array after a bounded count, and says so', () => {
    const payload = { ...documentedExample(), messages: new Array(2 ** 32 - 1) }
    const result = decodeConversation(payload, { maxIssues: 3 })
    expect(result._tag).toBe('Left')
    if (result._tag !== 'Left') return
    expect(result.left.issueCount).toBeGreaterThanOrEqual(1_000_000)
    expect(result.left.issueCount).toBeLessThan(1_000_010)
    expect(result.left.issues).toHaveLength(3)
    expect(result.left.issues[0]?.path).toBe('messages[0]')
  })

  it('stops reading a huge sparse paths array too', () => {
    const payload = { ...documentedExample(), paths: new Array(2 ** 32 - 1) }
    const result = decodeConversation(payload, { maxIssues: 1 })
    expect(result._tag).toBe('Left')
    if (result._tag !== 'Left') return
    expect(result.left.issueCount).toBeLessThan(1_000_010)
  })

  it('reads every entry of an ordinary bad array: the bound is far above what JSON text can make cheaply', () => {
    const payload = { ...documentedExample(), messages: new Array(10_000).fill(7) }
    const result = decodeConversation(payload)
    expect(result._tag).toBe('Left')
    if (result._tag !== 'Left') return
    expect(result.left.issueCount).toBe(10_000)
  })
})

describe('bodies as ArrayBuffer', () => {
  it('parses an ArrayBuffer, as `await request.arrayBuffer()` gives it', () => {
    const bytes = documentedExampleBytes
    const buffer = new Uint8Array(bytes).buffer
    const result = parseConversation(buffer)
    expect(result._tag).toBe('Right')
  })

  it('parses an ArrayBuffer from another realm', () => {
    const bytes = documentedExampleBytes
    const foreign = runInNewContext('new ArrayBuffer(n)', { n: bytes.byteLength }) as ArrayBuffer
    new Uint8Array(foreign).set(bytes)
    expect(foreign instanceof ArrayBuffer).toBe(false)
    expect(parseConversation(foreign)._tag).toBe('Right')
  })
})
