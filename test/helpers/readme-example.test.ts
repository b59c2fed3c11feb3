import { readFileSync } from 'node:fs'
import {
  agents,
  category,
  durations,
  idempotencyKey,
  messagesByAgent,
  parseConversation,
  summary,
  transcript,
} from 'smartsupp-hook'
import { describe, expect, it, vi } from 'vitest'
import { documentedExampleBytes } from '../support/payloads.js'

// The "Working with a conversation" guide's handler (docs/helpers.md), as written there, against fakes.
interface Db {
  saveDeadLetter(body: Uint8Array, reason: string): Promise<void>
  claim(key: string): Promise<boolean>
}
interface Crm {
  createCallbackTask(email: string | null): Promise<void>
  logAgentActivity(agentId: string, messageCount: number): Promise<void>
  addNote(note: { fields: object; body: string }): Promise<void>
}

async function handleHook(body: Uint8Array, db: Db, crm: Crm): Promise<void> {
  const result = parseConversation(body)
  if (result._tag === 'Left') return db.saveDeadLetter(body, result.left.message)
  const conversation = result.right

  // Skip a delivery we already handled; a changed re-delivery gets a new key.
  if (!(await db.claim(idempotencyKey(conversation)))) return

  const { firstResponseMs } = durations(conversation)
  if (category(conversation) === 'missed') {
    await crm.createCallbackTask(conversation.visitor?.email ?? null)
  } else if (firstResponseMs !== null && firstResponseMs > 60_000) {
    console.warn(`conversation ${conversation.id}: first answer after ${firstResponseMs} ms`)
  }

  for (const [agentId, messages] of messagesByAgent(conversation)) {
    await crm.logAgentActivity(agentId, messages.length)
  }
  await crm.addNote({
    fields: summary(conversation),
    body: transcript(conversation, { format: 'html', timeZone: 'Europe/Prague' }),
  })
  console.log(agents(conversation).map((a) => `${a.name ?? `agent ${a.id}`}: ${a.messageCount} messages`))
}

describe('the handler in docs/helpers.md', () => {
  it('is the one docs/helpers.md shows, as written', () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8')
    const handler = /\nasync function handleHook[\s\S]*?\n}\n/.exec(source)?.[0]
    const readme = readFileSync(new URL('../../docs/helpers.md', import.meta.url), 'utf8')
    expect(handler).toBeDefined()
    expect(readme).toContain(`\nexport ${handler?.slice(1)}`)
  })

  it('handles a delivery once and skips its repeat', async () => {
    const claimed = new Set<string>()
    const db: Db = {
      saveDeadLetter: vi.fn(async () => {}),
      claim: async (key) => !claimed.has(key) && claimed.add(key) !== undefined,
    }
    const crm = {
      createCallbackTask: vi.fn(async () => {}),
      logAgentActivity: vi.fn(async () => {}),
      addNote: vi.fn(async (_note: { fields: object; body: string }) => {}),
    }
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await handleHook(documentedExampleBytes, db, crm)
    await handleHook(documentedExampleBytes, db, crm)
    log.mockRestore()
    expect(crm.logAgentActivity.mock.calls).toEqual([['3', 1]])
    expect(crm.addNote).toHaveBeenCalledTimes(1)
    expect(crm.addNote.mock.calls[0]?.[0].body).toContain(
      '<time datetime="2015-03-27T15:33:59.703Z">2015-03-27 16:33:59 UTC+01:00</time>',
    )
    expect(crm.createCallbackTask).not.toHaveBeenCalled()
    await handleHook(new TextEncoder().encode('not json'), db, crm)
    expect(db.saveDeadLetter).toHaveBeenCalledTimes(1)
  })
})
