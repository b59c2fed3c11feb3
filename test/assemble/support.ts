import { type WebhookEvent, type WebhookEventPayload, webhookEventKey } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { decodeEach } from './script.js'

// biome-ignore lint/suspicious/noExplicitAny: wire JSON, edited in tests
export type Wire = Record<string, any>

export const petr = { id: '11', name: 'Petr Svoboda' }
export const START = Date.UTC(2024, 2, 14, 9, 30)
/** 09:30:00 + seconds, as a Date. */
export const at = (seconds: number) => new Date(START + seconds * 1000)

/**
 * A finished chat, 5 s between events: opened (0 s), contact "Hi" (5 s), Petr joins (10 s),
 * Petr "Hello" (15 s), contact "Thanks" (20 s), rated 5 (25 s), closed by Petr (30 s).
 */
export function story(): WebhookEventPayload[] {
  return webhookConversation()
    .opened()
    .contactReplied('Hi')
    .agentJoined(petr)
    .agentReplied(petr, 'Hello')
    .contactReplied('Thanks')
    .rated(5, 'great')
    .closed()
    .build()
}

/** The story's events by name (the first of that name). */
export function named(events: readonly WebhookEventPayload[], name: string): Wire {
  const e = events.find((x) => x.event === name)
  if (e === undefined) throw new Error(`no ${name}`)
  return e as Wire
}

export function decoded(events: readonly unknown[]): WebhookEvent[] {
  return decodeEach(events)
}

/** A copy of wire JSON to edit. */
export function copy<T>(value: T): T & Wire {
  return structuredClone(value) as T & Wire
}

export { webhookEventKey }
