// The main job: decodes every bundled example payload and prints a readable summary of each.
// Run it with `npm run demo`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Conversation, type Message, parseConversation } from '../src/index.js'

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
