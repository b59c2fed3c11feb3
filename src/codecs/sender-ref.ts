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

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER)

/**
 * The agent id in `"agent:<id>"` as its digits, or `undefined` when it is not a safe integer
 * written canonically (no sign, no leading zero). The digits are the model's id as they stand:
 * no number is parsed, and a 16-digit id is held to `Number.MAX_SAFE_INTEGER` by comparing text.
 */
export function agentRefId(u: string): string | undefined {
  if (!u.startsWith(AGENT_PREFIX)) return undefined
  const n = u.length
  const start = AGENT_PREFIX.length
  const digits = n - start
  if (digits === 0 || digits > MAX_SAFE_DIGITS.length) return undefined
  if (u.charCodeAt(start) === 48 /* 0 */ && digits > 1) return undefined
  for (let i = start; i < n; i++) {
    const c = u.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  const id = u.slice(start)
  // Equal lengths of plain digits compare as numbers.
  return digits < MAX_SAFE_DIGITS.length || id <= MAX_SAFE_DIGITS ? id : undefined
}

export function isAgentRef(u: unknown): u is AgentRef {
  return typeof u === 'string' && agentRefId(u) !== undefined
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
