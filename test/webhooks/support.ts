import { type DecodeFailure, type DecodeOptions, decodeWebhookEvent, type WebhookEvent } from 'smartsupp-hook'
import { type WebhookFixtureName, webhookFixtures } from 'smartsupp-hook/testing'

export const fixtureNames = Object.keys(webhookFixtures) as WebhookFixtureName[]

export type Json = Record<string, unknown>

/** A fresh fixture as a mutable JSON object. */
export function fixture(name: WebhookFixtureName): Json {
  return webhookFixtures[name]() as unknown as Json
}

export function decoded(value: unknown, options?: DecodeOptions): WebhookEvent {
  const result = decodeWebhookEvent(value, options)
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

export function failed(value: unknown, options?: DecodeOptions): DecodeFailure {
  const result = decodeWebhookEvent(value, options)
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left
}

/** The object at a dotted path (`data.conversation.channel`) of a JSON value. */
export function at(root: Json, path: string): Json {
  let o: unknown = root
  for (const key of path.split('.').filter((k) => k !== '')) o = (o as Json)[key]
  return o as Json
}
