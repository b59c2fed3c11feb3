import * as t from 'io-ts'

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

function refCodec<A extends string>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity)
}

export const VisitorRef = refCodec('VisitorRef', isVisitorRef)
export const AgentRef = refCodec('AgentRef', isAgentRef)
export const SystemRef = t.literal('system', 'SystemRef')
export const SenderRef = t.union([VisitorRef, AgentRef, SystemRef], 'SenderRef')
