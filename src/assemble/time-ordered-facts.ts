import type { EventFact } from './event-fact.js'

/**
 * The distinct events (one per `webhookEventKey`; the first given is kept) in time order, never
 * arrival order: by `timestamp` (else the message's `created_at`), then the message's
 * `created_at`, then the key (internal). Keys are distinct, so the order is total: any
 * permutation or duplication of the same events gives the same list. Events with no time come last.
 */
export function timeOrderedFacts(facts: readonly EventFact[]): EventFact[] {
  const byKey = new Map<string, EventFact>()
  for (const f of facts) if (!byKey.has(f.key)) byKey.set(f.key, f)
  return [...byKey.values()].sort(compareFacts)
}

function compareFacts(a: EventFact, b: EventFact): number {
  const aCreated = a.message?.createdMs ?? null
  const bCreated = b.message?.createdMs ?? null
  return (
    compareTimes(a.timeMs ?? aCreated, b.timeMs ?? bCreated) ||
    compareTimes(aCreated, bCreated) ||
    compareText(a.key, b.key)
  )
}

/** Earlier first; a missing time after every known one. */
export function compareTimes(a: number | null, b: number | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a - b
}

/** By UTF-16 code units: the same in every locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
