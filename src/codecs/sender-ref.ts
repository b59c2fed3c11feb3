import * as t from 'io-ts'
import { annotateLeaf } from './codec-structure.js'

/** `messages[].from` of a visitor: `"visitor:<key>"`. */
export type VisitorRef = `visitor:${string}`
/** `messages[].from` of an agent: `"agent:<id>"`. */
export type AgentRef = `agent:${number}`
/** `messages[].from` in the current (post-2018) form. */
export type SenderRef = VisitorRef | AgentRef | 'system'

const VISITOR_PREFIX = 'visitor:'
const AGENT_PREFIX = 'agent:'

export function isVisitorRef(u: unknown): u is VisitorRef {
  return typeof u === 'string' && u.length > VISITOR_PREFIX.length && u.startsWith(VISITOR_PREFIX)
}

/** The agent id in `"agent:<id>"`, written canonically (no sign, no leading zero), or -1. */
export function agentRefId(u: string): number {
  if (!u.startsWith(AGENT_PREFIX)) return -1
  const n = u.length
  const start = AGENT_PREFIX.length
  if (n === start || n - start > 16) return -1
  if (u.charCodeAt(start) === 48 /* 0 */ && n - start > 1) return -1
  for (let i = start; i < n; i++) {
    const c = u.charCodeAt(i)
    if (c < 48 || c > 57) return -1
  }
  const id = Number(u.slice(start))
  return Number.isSafeInteger(id) ? id : -1
}

export function isAgentRef(u: unknown): u is AgentRef {
  return typeof u === 'string' && agentRefId(u) >= 0
}

/**
 * A regular expression (source) for the canonical decimals 0 … max: no sign, no leading zero.
 * Built digit by digit, so `agent:9007199254740992` fails the schema as it fails the codec.
 */
export function naturalUpToPattern(max: number): string {
  const digits = String(max)
  const n = digits.length
  const alternatives = ['0', n > 1 ? `[1-9][0-9]{0,${n - 2}}` : '']
  // Numbers with exactly n digits, ≤ max: share a prefix with max, then one smaller digit.
  for (let i = 0; i < n; i++) {
    const d = Number(digits[i])
    const low = i === 0 ? 1 : 0
    const rest = n - i - 1
    if (d > low) alternatives.push(`${digits.slice(0, i)}[${low}-${d - 1}][0-9]{${rest}}`)
  }
  alternatives.push(digits)
  return `(?:${alternatives.filter((a) => a !== '').join('|')})`
}

function refCodec<A extends string>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity)
}

/** `"visitor:<key>"`, the key non-empty. */
export const VisitorRef = annotateLeaf(refCodec('VisitorRef', isVisitorRef), {
  jsonSchema: { type: 'string', pattern: '^visitor:[\\s\\S]' },
  sample: { kind: 'prefixed', prefix: VISITOR_PREFIX, rest: 'text' },
})
/** `"agent:<id>"`, the id a safe integer written canonically (no sign, no leading zero). */
export const AgentRef = annotateLeaf(refCodec('AgentRef', isAgentRef), {
  jsonSchema: { type: 'string', pattern: `^agent:${naturalUpToPattern(Number.MAX_SAFE_INTEGER)}$` },
  sample: { kind: 'prefixed', prefix: AGENT_PREFIX, rest: 'natural' },
})
export const SystemRef = t.literal('system', 'SystemRef')
export const SenderRef = t.union([VisitorRef, AgentRef, SystemRef], 'SenderRef')
