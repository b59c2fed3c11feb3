// The main job: decodes every bundled example payload and prints a readable summary of each.
// Then posts the same payloads to the Express example over real HTTP and prints what it decoded.
// Then posts one conversation's webhook events, signed, to the webhooks example and prints what
// it decoded. Last, whole conversations: the same events, shuffled and with a re-delivery, to a
// receiver with an event store, which assembles the conversation once it is finished and prints
// its summary and transcript. Run it with `npm run demo`.
import { readdirSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import express from 'express'
import { createExampleApp } from '../examples/express/server.js'
import {
  conversationIdOf,
  createWebhookExampleApp,
  messageTextOf,
} from '../examples/webhooks-express/server.js'
import { smartsuppWebhook } from '../src/adapters/express.js'
import {
  type AssembledConversation,
  type Conversation,
  type Message,
  parseConversation,
  signWebhookBody,
  summary,
  transcript,
  WEBHOOK_SIGNATURE_HEADER,
} from '../src/index.js'
import type { FinishedContext } from '../src/store/index.js'
import { pgliteEventStore } from '../src/store/pglite-event-store.js'

const dir = fileURLToPath(new URL('../examples/payloads/', import.meta.url))

function who(m: Message): string {
  const name = m.name === null || m.name === '' ? null : m.name
  switch (m.kind) {
    case 'visitor':
      return `${name ?? 'Visitor'} (visitor)`
    case 'agent':
      return `${name ?? `Agent ${m.sender.id}`} (agent ${m.sender.id})`
    case 'trigger':
      return `Trigger "${m.triggeredBy ?? 'automatic'}"`
    case 'system':
      return 'System'
  }
}

function kindOf(c: Conversation): string {
  if (c.flags.isOffline === true) return 'offline message'
  if (c.flags.isMissed === true) return 'missed conversation'
  return 'chat'
}

function describe(c: Conversation): string[] {
  const v = c.visitor
  const lines = [
    `  conversation ${c.id} (account ${c.accountId}), ${kindOf(c)}`,
    `  ${c.beginAt.toISOString()} → ${c.endAt.toISOString()}, reported duration ${c.reported.durationSeconds ?? '?'} s, first response ${c.reported.firstResponseSeconds ?? '?'} s`,
    `  visitor: ${v?.name ?? 'unknown'}${v?.email ? ` <${v.email}>` : ''}${v?.city ? `, ${v.city}` : ''}`,
    `  rating: ${c.rating === null ? 'none' : `${c.rating.value}/5${c.rating.comment ? ` "${c.rating.comment}"` : ''}`}`,
    `  messages (${c.messages.length}):`,
  ]
  for (const m of c.messages) {
    const time = m.sentAt.toISOString().slice(11, 19)
    lines.push(
      m.kind === 'system'
        ? `    ${time}  [event ${m.event}${m.name ? `: ${m.name}` : ''}]`
        : `    ${time}  ${who(m)}: ${m.content}`,
    )
  }
  if (c.warningCount > 0) {
    lines.push(`  warnings (${c.warningCount}):`)
    for (const w of c.warnings) lines.push(`    - ${w.message}`)
  }
  return lines
}

let valid = 0
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
for (const file of files) {
  const result = parseConversation(readFileSync(join(dir, file)))
  console.log(`\n${file}`)
  if (result._tag === 'Right') {
    valid++
    console.log(describe(result.right).join('\n'))
  } else {
    console.log(
      `  NOT DECODED (the body would go to your dead-letter handler): ${result.left.issueCount} issue(s)`,
    )
    for (const issue of result.left.issues) console.log(`    - ${issue.message}`)
  }
}
console.log(`\n${valid} of ${files.length} payloads decoded (lenient mode).`)

// Part two: the same payloads over real HTTP. Start the Express example (examples/express) on a
// free local port, post each bundled payload to it as Smartsupp would, and print what the
// receiver decoded (or kept as a dead letter) and what it answered.
const token = 'demo-secret-0123456789'
const received: string[] = []
const app = createExampleApp(token, {
  onDecoded: (c) => {
    received.push(
      `decoded conversation ${c.id}: ${kindOf(c)}, ${c.messages.length} messages, visitor ${c.visitor?.name ?? 'unknown'}, ${c.warningCount} warning(s)`,
    )
  },
  onDeadLetter: (failure, rawBody) => {
    received.push(`kept as a dead letter (${rawBody.length} bytes): ${failure.message}`)
  },
})
const server = app.listen(0, '127.0.0.1')
await new Promise<void>((resolve) => server.once('listening', () => resolve()))
const { port } = server.address() as AddressInfo
const url = `http://127.0.0.1:${port}/hooks/smartsupp/${token}`
console.log(`\nThe Express example (examples/express) listening on ${url.replace(token, '<token>')}:`)
try {
  for (const file of files) {
    received.length = 0
    const response = await fetch(url, {
      method: 'POST',
      body: readFileSync(join(dir, file)),
      headers: { 'content-type': 'application/json' },
    })
    await response.text()
    console.log(
      `  POST ${file} → ${response.status}; the receiver ${received.join('; ') || 'was not called'}`,
    )
  }
} finally {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

// Part three: webhooks. Start the webhooks example (examples/webhooks-express) with a secret, post
// one conversation's events in the order they happen, each signed with X-Smartsupp-Hmac as
// Smartsupp signs them (the files' bytes unchanged), then a re-delivery and a wrong signature.
const webhookDir = join(dir, 'webhooks')
const story = [
  'conversation.opened',
  'conversation.contact_replied',
  'conversation.bot_replied',
  'conversation.agent_assigned',
  'conversation.agent_joined',
  'conversation.agent_replied',
  'conversation.message_delivered',
  'conversation.agent_unassigned',
  'conversation.agent_left',
  'conversation.rated',
  'conversation.closed',
]
const secret = 'demo-webhook-secret-0123456789'
const heard: string[] = []
const webhookApp = createWebhookExampleApp(secret, {
  onEvent: (event) => {
    const text = messageTextOf(event)
    heard.push(
      `decoded ${event.event}, conversation ${conversationIdOf(event) ?? '-'}${text === null ? '' : `: ${JSON.stringify(text)}`}`,
    )
  },
  onDuplicate: (event, key) => {
    heard.push(`skipped a duplicate of ${event.event} (key ${key})`)
  },
  onDeadLetter: (failure, rawBody) => {
    heard.push(`kept as a dead letter (${rawBody.length} bytes): ${failure.message}`)
  },
})
const webhookServer = webhookApp.listen(0, '127.0.0.1')
await new Promise<void>((resolve) => webhookServer.once('listening', () => resolve()))
const webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/webhooks/smartsupp`
console.log(
  `\nWebhooks: the webhooks example (examples/webhooks-express) listening on ${webhookUrl}, one conversation's events signed with X-Smartsupp-Hmac:`,
)
async function postEvent(name: string, signingSecret: string, label: string): Promise<void> {
  heard.length = 0
  const body = readFileSync(join(webhookDir, `${name}.json`))
  const response = await fetch(webhookUrl, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, signingSecret),
    },
  })
  await response.text()
  console.log(`  ${label} → ${response.status}; the receiver ${heard.join('; ') || 'was not called'}`)
}
try {
  for (const name of story) await postEvent(name, secret, `POST ${name}`)
  await postEvent(
    'conversation.agent_replied',
    secret,
    'POST conversation.agent_replied again (a re-delivery)',
  )
  await postEvent(
    'conversation.closed',
    'not-the-secret',
    'POST conversation.closed signed with another secret',
  )
} finally {
  webhookServer.closeAllConnections()
  await new Promise((resolve) => webhookServer.close(resolve))
}

// Part four: whole conversations. A webhook receiver with a store keeps every event (here in
// PGlite, PostgreSQL in this process, in memory) and calls onConversationFinished once the
// conversation is finished, with the conversation assembled from all its events. The same events
// go out shuffled (as Smartsupp may deliver them) with one re-delivery; settleMs 0 exports it at
// its closing event, so that one goes last (the default, 30 s, waits for late events instead).
const shuffled = [...story.filter((name) => name !== 'conversation.closed'), 'conversation.agent_replied']
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1))
  ;[shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string]
}
shuffled.push('conversation.closed')
const store = pgliteEventStore()
let finish: (finished: { conversation: AssembledConversation; context: FinishedContext }) => void = () => {}
const finished = new Promise<{ conversation: AssembledConversation; context: FinishedContext }>((resolve) => {
  finish = resolve
})
const storeApp = express()
storeApp.use(
  '/webhooks/smartsupp',
  smartsuppWebhook({
    secret,
    store,
    settleMs: 0,
    // This demo ends after one conversation; a server keeps the default sweep (every 5 s).
    sweepIntervalMs: null,
    onConversationFinished: (conversation, context) => finish({ conversation, context }),
  }),
)
const storeServer = storeApp.listen(0, '127.0.0.1')
await new Promise<void>((resolve) => storeServer.once('listening', () => resolve()))
const storeUrl = `http://127.0.0.1:${(storeServer.address() as AddressInfo).port}/webhooks/smartsupp`
console.log(
  `\nWhole conversations: a receiver with store: pgliteEventStore() (in memory) and settleMs: 0 on ${storeUrl}, the same events shuffled (the closing one last), one delivered twice:`,
)
try {
  const seen = new Set<string>()
  for (const name of shuffled) {
    const body = readFileSync(join(webhookDir, `${name}.json`))
    const response = await fetch(storeUrl, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, secret),
      },
    })
    await response.text()
    console.log(`  POST ${name}${seen.has(name) ? ' again (a re-delivery)' : ''} → ${response.status}`)
    seen.add(name)
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const { conversation: c, context } = await Promise.race([
    finished,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('onConversationFinished was not called within 30 s')), 30_000)
    }),
  ]).finally(() => clearTimeout(timer))
  const s = summary(c)
  console.log(
    `onConversationFinished (${context.reason}, attempt ${context.attempt}, ${context.storedEvents.length} events stored): conversation ${c.id} (account ${c.accountId}), assembled from ${c.source}`,
  )
  console.log(
    [
      `  summary: ${s.category}, ${s.beginAt} → ${s.endAt}, closed by ${c.closedBy ?? 'nobody'}`,
      `  visitor: ${s.visitorName ?? 'unknown'}${s.visitorEmail === null ? '' : ` <${s.visitorEmail}>`}; agents: ${s.agentNames.join(', ') || 'none'}`,
      `  messages: ${s.messageCount} (${s.visitorMessageCount} from the visitor, ${s.agentMessageCount} from agents, ${s.triggeredMessageCount} automatic); first response ${s.firstResponseMs === null ? 'none' : `${s.firstResponseMs / 1000} s`}`,
      `  rating: ${s.rating === null ? 'none' : `${s.rating}/5${s.ratingComment === null ? '' : ` "${s.ratingComment}"`}`}; ${s.warningCount} warning(s)`,
      '  transcript:',
      ...transcript(c)
        .split('\n')
        .map((line) => `    ${line}`),
    ].join('\n'),
  )
} finally {
  storeServer.closeAllConnections()
  await new Promise((resolve) => storeServer.close(resolve))
  await store.close()
}
