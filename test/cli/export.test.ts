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
import { exportFinished } from '../../src/store/export-finished.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'
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

  it('a conversation that failed maxExportAttempts times: store list shows it failed; only export --retry re-opens it', async () => {
    const store = storeCopy()
    // Both closed conversations fail their one allowed try (maxExportAttempts: 1), as a receiver would.
    const opened = pgliteEventStore({ dataDir: store })
    try {
      const report = await exportFinished({
        store: opened,
        settleMs: 0,
        quietMs: null,
        maxExportAttempts: 1,
        onConversationFinished: () => {
          throw new Error('the CRM rejects this transcript')
        },
        onError: () => undefined,
      })
      expect(report.failed.map((f) => f.gaveUp)).toEqual([true, true])
    } finally {
      await opened.close()
    }
    const listed = await runCli(['store', 'list', '--store', store, '--state', 'failed'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(
      /\nconv-closed +failed +0 +6 +\S+ +\S+ +1 +failed after 1 try: the CRM rejects this transcript; retry: smartsupp-hook export --retry conv-closed; closed /,
    )
    expect(listed.stdout).toContain(`--retry 'conv/../weird id'`)
    expect(listed.stdout).toContain('2 conversations failed in')
    const shown = await runCli(['store', 'show', 'conv-closed', '--store', store])
    expect(shown.stdout).toMatch(/ {2}state +failed\n/)
    expect(shown.stdout).toMatch(
      / {2}failed +\d{4}-\S+ \(retry: smartsupp-hook export --retry conv-closed\)\n/,
    )

    const handler = failingOnceHandler()
    const pendingArgs = [
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
    const nothing = await runCli(pendingArgs)
    expect(nothing.code, nothing.stderr).toBe(0)
    expect(nothing.stdout).toMatch(/^nothing to export/)

    // One by id, exported now with the handler (its first call fails: kept, not failed again at once).
    const retryArgs = ['export', '--retry', '--store', store, '--handler', handler.file, '--settle-ms', '0']
    const first = await runCli([...retryArgs, 'conv-closed', 'conv-open', 'conv-nope'])
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('re-opened conv-closed (last error: the CRM rejects this transcript)\n')
    expect(first.stderr).toContain(
      'not retried conv-open: its state is open; --retry re-opens failed conversations only\n',
    )
    expect(first.stderr).toContain('not retried conv-nope: no such conversation in the store')
    expect(first.stderr).toContain('failed conv-closed: the CRM is down (kept; retried after 2 s)\n')
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const second = await runCli(pendingArgs)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toBe('exported conv-closed (attempt 2)\n1 conversation exported, 0 failed\n')

    // All the others, re-opened without a handler: the receivers (or export --pending) export them.
    const all = await runCli(['export', '--retry', '--all-failed', '--store', store])
    expect(all.code, all.stderr).toBe(0)
    expect(all.stdout).toBe(
      `re-opened ${weirdId} (last error: the CRM rejects this transcript)\n1 conversation re-opened: running receivers export it on their next sweep (or run export --pending)\n`,
    )
    const none = await runCli(['export', '--retry', '--all-failed', '--store', store])
    expect(none.stdout).toMatch(/^no failed conversation to retry in /)
    const after = await runCli(['store', 'list', '--store', store, '--json'])
    const states = (JSON.parse(after.stdout) as { conversationId: string; state: string }[]).map((c) => [
      c.conversationId,
      c.state,
    ])
    expect(states.sort()).toEqual([
      ['conv-closed', 'exported'],
      ['conv-open', 'open'],
      [weirdId, 'pending'],
    ])
  })

  it('events after an export make the next run export it again, whole, as revision 2', async () => {
    const store = storeCopy()
    const out = join(dir, 'revisions')
    const args = [
      'export',
      '--pending',
      '--store',
      store,
      '--out',
      out,
      '--settle-ms',
      '0',
      '--quiet-ms',
      'none',
    ]
    const first = await runCli(args)
    expect(first.stdout).toContain('exported conv-closed\n')
    const late = webhookConversation({
      id: 'conv-closed',
      contactId: 'cont-conv-closed',
      visitorId: 'vis-conv-closed',
    })
      .opened()
      .contactReplied('Hello from conv-closed')
      .agentJoined({ id: '11', name: 'Petr' })
      .agentReplied({ id: '11', name: 'Petr' }, 'Answer for conv-closed')
      .contactReplied('One more question, after the close')
      .build()
      .at(-1)
    const opened = pgliteEventStore({ dataDir: store })
    try {
      await appendAll(opened, [late as never])
    } finally {
      await opened.close()
    }
    const second = await runCli(args)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toBe('exported conv-closed (revision 2)\n1 conversation exported, 0 failed\n')
    expect(readFileSync(join(out, 'conv-closed.txt'), 'utf8')).toContain('One more question, after the close')
    const listed = await runCli(['store', 'list', '--store', store])
    expect(listed.stdout).toMatch(/\nconv-closed +exported +2 +7 +\S+ +\S+ +2 +revision 2 exported /)
  })

  it.runIf(process.platform === 'linux')(
    'export --out and store poisoned --out a directory that cannot be made (under /proc): exit 2 naming it, no hang',
    async () => {
      const store = storeCopy()
      const exported = await runCli(['export', '--pending', '--store', store, '--out', '/proc/x/exported'])
      expect(exported.code).toBe(2)
      expect(exported.stderr).toBe(
        "smartsupp-hook: cannot create /proc/x/exported: ENOENT: no such file or directory, mkdir '/proc/x'\n",
      )
      const poisoned = await runCli(['store', 'poisoned', '--store', store, '--out', '/proc/x/poisoned'])
      expect(poisoned.code).toBe(2)
      expect(poisoned.stderr).toContain('/proc/x/poisoned')
    },
  )

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
      [['export', '--retry', '--store', store], 'give the failed conversations to retry'],
      [
        ['export', '--retry', 'conv-closed', '--all-failed', '--store', store],
        'give the conversation ids or --all-failed, not both',
      ],
      [
        ['export', '--pending', '--retry', 'conv-closed', '--store', store],
        'give --pending or --retry, not both',
      ],
      [['export', '--all-failed', '--store', store], '--all-failed goes with --retry'],
      [
        ['export', '--pending', 'conv-closed', '--store', store, '--out', dir],
        'unexpected argument "conv-closed"',
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
