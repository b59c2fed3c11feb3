import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Conversation, parseConversationOrThrow } from 'smartsupp-hook'
import { documentedExampleBytes } from '../support/payloads.js'
import { agent, buildConversation, event, join, trigger, visitor } from './build-conversation.js'

const payload = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../examples/payloads/${name}.json`, import.meta.url)))

/** The documented example, strictly decoded. */
export const documented = (): Conversation =>
  parseConversationOrThrow(documentedExampleBytes, { mode: 'strict' })

/** The bundled missed conversation: two visitor messages (Czech, an emoji), no agent. */
export const missed = (): Conversation =>
  parseConversationOrThrow(payload('missed-conversation'), { mode: 'strict' })

/** The bundled offline message (Polish): one visitor message, nothing else. */
export const offline = (): Conversation =>
  parseConversationOrThrow(payload('offline-message'), { mode: 'strict' })

/**
 * Two agents with a transfer, Polish and Czech diacritics and emoji in names and content:
 * turns answered after 10 s (agent 1), 6 s (agent 1) and 30 s (agent 2).
 */
export const transfer = (): Conversation =>
  buildConversation(
    [
      visitor('Dzień dobry, mam pytanie o fakturę 🧾', 0, 'Zażółć Gęślą'),
      join(1, 5, 'Jan Kowalski'),
      agent(1, 'Dzień dobry! W czym mogę pomóc?', 10, 'Jan Kowalski'),
      visitor('Faktura nr 42 nie dotarła', 20, 'Zażółć Gęślą'),
      agent(1, 'Sprawdzę to', 26, 'Jan Kowalski'),
      agent(1, 'Przekazuję koledze z księgowości', 30, 'Jan Kowalski'),
      { type: 'system', from: 'agent:1', content: 'agent.leave', at: 33, name: 'Jan Kowalski' },
      join(2, 35, 'Šárka Dvořáková'),
      visitor('Díky 😊', 40, 'Zażółć Gęślą'),
      visitor('Ještě něco?', 45, 'Zażółć Gęślą'),
      agent(2, 'Fakturu jsem poslala znovu ✅', 70, 'Šárka Dvořáková'),
      agent(2, 'Něco dalšího?', 75, 'Šárka Dvořáková'),
      event('close.visitorClose', 90),
    ],
    { visitor: { name: 'Zażółć Gęślą' } },
  )

/** Only automatic messages: two triggers, no visitor, no agent. */
export const triggersOnly = (): Conversation =>
  buildConversation(
    [trigger('Welcome', 'Dobrý den! Můžeme pomoci?', 0), trigger('Follow-up', 'Jsme tu 👋', 30)],
    {
      channel: { isChat: false, isTriggered: true, isCompleted: false },
    },
  )

/** No messages at all. */
export const empty = (): Conversation =>
  buildConversation([], { beginAt: 1_700_000_000_000, endAt: 1_700_000_004_000 })
