// `smartsupp-hook export --pending` as a child process on a real PGlite store: a handler that
// fails once then succeeds (nothing lost, exported once), and --out files.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleConversation } from '../../src/assemble/assemble-conversation.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import { transcript } from '../../src/helpers/transcript.js'
import type { WebhookEvent } from '../../src/model/webhook-event.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { runCli } from './cli-process.js'
import { appendAll, bodyOf, closedConversation, openConversation } from './store-seed.js'

const closedEvents = closedConversation('conv-closed')
const weirdId = 'conv/../weird id'
const weirdEvents = closedConversation(weirdId)
const openEvents = openConversation('conv-open')

let dir: string
let seeded: string
let copies = 0

/** A fresh copy of the seeded store, so each test starts from the same contents. */
function storeCopy(): string {
  copies++
  const copy = join(dir, `store-${copies}`)
  cpSync(seeded, copy, { recursive: true })
  return copy
}

/**
 * A handler module that throws the first time it sees a conversation (leaving a mark file) and
 * records it in exported.log after that.
 */
function failingOnceHandler(): { file: string; log: string } {
  const file = join(dir, `fail-once-${++copies}.mjs`)
  const log = join(dir, `exported-${copies}.log`)
  const marks = join(dir, `marks-${copies}`)
  writeFileSync(
    file,
    `import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
export default async function (conversation, context) {
  mkdirSync(${JSON.stringify(marks)}, { recursive: true })
  const mark = join(${JSON.stringify(marks)}, encodeURIComponent(conversation.id))
  if (!existsSync(mark)) {
    writeFileSync(mark, '')
    throw new Error('the CRM is down')
  }
  appendFileSync(${JSON.stringify(log)}, conversation.id + ' ' + context.attempt + ' ' + conversation.messages.length + '\\n')
}
`,
  )
  return { file, log }
}

const decoded = (events: readonly unknown[]): WebhookEvent[] =>
  events.map((e) => {
    const r = parseWebhookEvent(bodyOf(e as never))
    if (r._tag === 'Left') throw new Error(r.left.message)
    return r.right
  })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-export-'))
  seeded = join(dir, 'seeded')
  const store = pgliteEventStore({ dataDir: seeded })
  try {
    await appendAll(store, [...closedEvents, ...weirdEvents, ...openEvents])
  } finally {
    await store.close()
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('smartsupp-hook export --pending (PGlite)', { timeout: 90_000 }, () => {
  it('a handler that fails once: exit 1 and kept; the next run exports it (attempt 2); a third has nothing to do', async () => {
    const store = storeCopy()
    const handler = failingOnceHandler()
    const args = [
      'export',
      '--pending',
      '--store',
      store,
      '--handler',
      handler.file,
      '--settle-ms',
      '0',
      '--quiet-ms',
      'none',
    ]

    const first = await runCli(args)
    expect(first.code, first.stderr).toBe(1)
    expect(first.stderr).toContain('failed conv-closed: the CRM is down (kept; retried after 2 s)\n')
    expect(first.stderr).toContain(`failed ${weirdId}: the CRM is down (kept; retried after 2 s)\n`)
    expect(first.stdout).toBe('0 conversations exported, 2 failed\n')

    const listed = await runCli(['store', 'list', '--store', store, '--json'])
    const states = JSON.parse(listed.stdout) as {
      conversationId: string
      state: string
      lastError: string | null
    }[]
    expect(states.find((c) => c.conversationId === 'conv-closed')).toMatchObject({
      state: 'pending',
      lastError: 'the CRM is down',
    })

    // The retry delay after a first failure is 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const second = await runCli(args)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('exported conv-closed (attempt 2)\n')
    expect(second.stdout).toContain(`exported ${weirdId} (attempt 2)\n`)
    expect(second.stdout).toContain('2 conversations exported, 0 failed\n')
    expect(readFileSync(handler.log, 'utf8').split('\n').filter(Boolean).sort()).toEqual(
      [`conv-closed 2 4`, `${weirdId} 2 4`].sort(),
    )

    const third = await runCli(args)
    expect(third.code, third.stderr).toBe(0)
    expect(third.stdout).toMatch(/^nothing to export in .*: no conversation is due/)
    expect(readFileSync(handler.log, 'utf8').split('\n').filter(Boolean)).toHaveLength(2)

    const exported = await runCli(['store', 'list', '--store', store, '--state', 'exported'])
    expect(exported.stdout).toContain('2 conversations exported in')
  })

  it('--out: <id>.json is the assembled conversation with its events raw values, <id>.txt its transcript', async () => {
    const store = storeCopy()
    const out = join(dir, 'out')
    // --quiet-ms 1: the open conversation counts as finished too (nothing came for it for 1 ms).
    const r = await runCli([
      'export',
      '--pending',
      '--store',
      store,
      '--out',
      out,
      '--settle-ms',
      '0',
      '--quiet-ms',
      '1',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('3 conversations exported, 0 failed\n')
    const files = readdirSync(out).sort()
    const weirdName = files.find((f) => f.startsWith('conv_.._weird_id-') && f.endsWith('.json'))
    expect(weirdName).toMatch(/^conv_\.\._weird_id-[0-9a-f]{12}\.json$/)
    expect(files).toEqual(
      [
        'conv-closed.json',
        'conv-closed.txt',
        'conv-open.json',
        'conv-open.txt',
        weirdName,
        weirdName?.replace(/json$/, 'txt'),
      ].sort(),
    )
    const events = decoded(closedEvents)
    const assembled = assembleConversation(events)
    if (assembled._tag === 'Left') throw new Error(assembled.left.message)
    expect(readFileSync(join(out, 'conv-closed.txt'), 'utf8')).toBe(
      `${transcript(assembled.right, { format: 'text', timeZone: 'UTC' })}\n`,
    )
    const json = JSON.parse(readFileSync(join(out, 'conv-closed.json'), 'utf8')) as {
      id: string
      messages: unknown[]
      events: { raw: unknown }[]
    }
    expect(json).toEqual(JSON.parse(JSON.stringify(assembled.right)))
    expect(json.id).toBe('conv-closed')
    expect(json.events.map((e) => e.raw)).toEqual(closedEvents)
    expect(readFileSync(join(out, 'conv-open.txt'), 'utf8')).toContain('Is anyone there?')
  })

  it('usage errors and a handler module without a function: exit 2, naming the fix', async () => {
    const store = storeCopy()
    const noFunction = join(dir, 'no-function.mjs')
    writeFileSync(noFunction, 'export const answer = 42\n')
    const cases: [string[], string][] = [
      [['export', '--store', store, '--out', dir], 'export: give --pending'],
      [['export', '--pending', '--store', store], 'give --handler <module>'],
      [
        ['export', '--pending', '--store', store, '--out', dir, '--handler', noFunction],
        'give --handler <module>',
      ],
      [
        ['export', '--pending', '--store', store, '--out', dir, '--settle-ms=-1'],
        '--settle-ms must be a whole number',
      ],
      [
        ['export', '--pending', '--store', store, '--out', dir, '--quiet-ms', 'soon'],
        '--quiet-ms must be a whole number',
      ],
      [
        ['export', '--pending', '--store', store, '--handler', noFunction],
        `--handler ${noFunction} exports no function: export default async function (conversation, context)`,
      ],
      [
        ['export', '--pending', '--store', store, '--handler', join(dir, 'missing.mjs')],
        `cannot load --handler ${join(dir, 'missing.mjs')}`,
      ],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})
