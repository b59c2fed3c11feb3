import type { ConversationPayload } from '../codecs/conversation.js'
import type { LegacyConversationPayload } from '../codecs/legacy.js'
import { conversation } from './conversation-builder.js'
import { documentedExample } from './documented-example.js'
import { toLegacyForm } from './legacy-form.js'

/** How many messages `fixtures.large()` holds unless told otherwise. */
export const LARGE_FIXTURE_MESSAGES = 5_000

function missed(): ConversationPayload {
  return conversation({ id: 1002, visitorName: 'Jana Nováková' })
    .visitor('Dobrý den, je zboží skladem?')
    .visitor('Haló? 🙂', { after: 60_000 })
    .visitorClose({ after: 35_000 })
    .build()
}

function offline(): ConversationPayload {
  return conversation({ id: 1003, visitorName: 'Paweł Wiśniewski' })
    .offline()
    .visitor('Proszę o kontakt w sprawie faktury nr 2024/11/0042, dziękuję.')
    .with({ paths: [] })
    .build()
}

function triggeredOnly(): ConversationPayload {
  return conversation({ id: 1004, visitorName: null })
    .trigger('Hi! Can we help you find something?', 'Pricing page trigger')
    .trigger('We are online until 17:00.', 'Opening hours', { after: 30_000 })
    .visitorClose({ after: 20_000 })
    .build()
}

function transfer(): ConversationPayload {
  return conversation({ id: 1005 })
    .visitor('Hello, I have a question about my invoice.')
    .join(3, 'John Doe', { after: 4_000 })
    .agent(3, 'Hi, how can I help?', { after: 6_000 })
    .visitor('Invoice 2024/0042 charges me twice.', { after: 20_000 })
    .agent(3, 'Let me pass you to our billing team.', { after: 12_000 })
    .join(7, 'Eva Nová', { after: 15_000 })
    .agent(7, 'Hello, Eva from billing here. Checking it now.', { after: 10_000 })
    .agent(7, 'You are right, I have refunded the second charge.', { after: 90_000 })
    .visitor('Thank you!', { after: 25_000 })
    .agent(7, 'You are welcome. Have a nice day!', { after: 8_000 })
    .visitorClose({ after: 12_000 })
    .build()
}

function rated(): ConversationPayload {
  return conversation({ id: 1006 })
    .visitor('Do you ship to Slovakia?')
    .join(3, 'John Doe', { after: 3_000 })
    .agent(3, 'Yes, within 2 working days.', { after: 9_000 })
    .visitor('Great, thanks.', { after: 15_000 })
    .visitorClose({ after: 5_000 })
    .rate(5, 'Quick and friendly, thank you!')
    .build()
}

function unrated(): ConversationPayload {
  return conversation({ id: 1007 })
    .visitor('Is the shop open on Sunday?')
    .join(3, 'John Doe', { after: 7_000 })
    .agent(3, 'No, we are open Monday to Saturday.', { after: 11_000 })
    .visitorClose({ after: 20_000 })
    .build()
}

function futureFields(): ConversationPayload {
  const p = documentedExample() as ConversationPayload & Record<string, unknown>
  p.conversationUrl = 'https://app.smartsupp.com/conversations/55039'
  Object.assign(p.channel, { tags: ['vip'], language: 'cs' })
  Object.assign(p.visitor, { locale: 'cs-CZ' })
  Object.assign(p.visitor.variables.chatId ?? {}, { hidden: false })
  Object.assign(p.paths[0] ?? {}, { visitedAt: 1427470400000 })
  Object.assign(p.messages[3] ?? {}, { attachments: [], edited: null })
  return p
}

/** A payload whose `visitor.variables` mixes the documented form with the flat post-2020 one. */
export type Post2020VariablesPayload = Omit<ConversationPayload, 'visitor'> & {
  visitor: Omit<ConversationPayload['visitor'], 'variables'> & {
    variables: Record<string, ConversationPayload['visitor']['variables'][string] | string | number | boolean>
  }
}

/** Same as examples/payloads/post-2020-variables.json (a test keeps the two equal). */
function post2020Variables(): Post2020VariablesPayload {
  const p = documentedExample()
  p.channel.rating = 3
  p.channel.ratingDesc = 'OK'
  const variables = {
    chatId: { label: 'Chat ID', value: 208 },
    newsletter: { label: 'Newsletter', value: false },
    User_ID: '1234',
    isPremium: true,
    cartValue: 208.5,
  }
  return { ...p, visitor: { ...p.visitor, variables } }
}

function large(messages: number = LARGE_FIXTURE_MESSAGES): ConversationPayload {
  if (!Number.isSafeInteger(messages) || messages < 3) {
    throw new TypeError(
      `smartsupp-hook/testing: fixtures.large(messages) needs a whole number >= 3, got ${messages}`,
    )
  }
  let b = conversation({ id: 1009, gapMs: 2_000 })
    .visitor('Hello, I need help with a big order.')
    .join(3, 'John Doe')
  for (let i = 2; i < messages - 1; i++) {
    b =
      i % 2 === 0
        ? b.agent(3, `Line ${i}: which item is next?`)
        : b.visitor(`Item ${i}, quantity ${(i % 7) + 1}.`)
  }
  return b.visitorClose().build()
}

/**
 * Realistic payloads for tests. Each is a function that returns a fresh deep copy, so a test may
 * change it freely. All are in the current documented form except `legacy` (the pre-2018 form),
 * `futureFields` (fields Smartsupp may add later) and `post2020Variables` (the widget's flat and
 * boolean variables), which only lenient decoding accepts.
 */
export const fixtures = {
  /** The example request from Smartsupp's documentation, exactly. */
  documentedExample,
  /** A visitor wrote twice, no agent answered (`isMissed`). */
  missed,
  /** An offline message: one visitor message, `isOffline`. */
  offline,
  /** Two triggered messages and no human at all (`isTriggered`, not a chat). */
  triggeredOnly,
  /** Agent 3 hands the visitor over to agent 7 (both join and write). */
  transfer,
  /** Rated 5 with a comment. */
  rated,
  /** A completed chat the visitor did not rate (`rating` and `ratingDesc` null). */
  unrated,
  /** The documented example in the pre-2018 form. */
  legacy: (): LegacyConversationPayload => toLegacyForm(documentedExample()),
  /** The documented example with unknown fields at every level (root, channel, visitor, a variable, a path, a message). */
  futureFields,
  /** Visitor variables in the flat form the widget sends since 2020 and with boolean values; rated 3 (of 1/3/5). Lenient only. */
  post2020Variables,
  /** A chat with `messages` messages (default 5,000), alternating visitor and agent. */
  large,
} as const

/** The name of a fixture: a key of `fixtures`. */
export type FixtureName = keyof typeof fixtures
