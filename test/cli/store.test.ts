// `smartsupp-hook store list|show|poisoned` as a child process, on a real PGlite store in a
// temporary directory, seeded through a real receiver (and exportFinished for one conversation).
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acquireDirectoryLock } from '../../src/store/acquire-directory-lock.js'
import { exportFinished } from '../../src/store/export-finished.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { storedConversationId } from '../../src/store/storable-text.js'
import { runCli } from './cli-process.js'
import { bodyOf, closedConversation, deliverAll, openConversation } from './store-seed.js'

const exportedEvents = closedConversation('conv-exported')
const pendingEvents = closedConversation('conv-pending')
const openEvents = openConversation('conv-open')
/** Authentic (signed) but not a webhook event the decoder reads: kept as poisoned. */
const poisonedBody = Buffer.from('{"event":"conversation.opened","timestamp":"not a time","data":7}\n')

let dir: string
let dataDir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-store-'))
  dataDir = join(dir, 'store')
  const store = pgliteEventStore({ dataDir })
  try {
    await deliverAll(store, [...exportedEvents, ...pendingEvents, ...openEvents].map(bodyOf))
    await deliverAll(store, [poisonedBody])
    const report = await exportFinished({
      store,
      onConversationFinished: () => undefined,
      settleMs: 0,
      quietMs: null,
      conversationId: 'conv-exported',
    })
    expect(report.exported).toEqual(['conv-exported'])
  } finally {
    await store.close()
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

// One child at a time: an embedded store serves one process at a time.
describe('smartsupp-hook store (PGlite)', { timeout: 60_000 }, () => {
  it('list: every conversation with its state and event count; --state filters; --limit says there may be more', async () => {
    const all = await runCli(['store', 'list', '--store', dataDir])
    expect(all.code, all.stderr).toBe(0)
    const lines = all.stdout.split('\n')
    expect(lines[0]).toMatch(
      /^CONVERSATION +STATE +REVISION +EVENTS +LAST EVENT +LAST RECEIVED +ATTEMPTS +NOTE$/,
    )
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `)) ?? ''
    expect(row('conv-exported')).toMatch(
      /^conv-exported +exported +1 +6 +\S+ +\S+ +1 +revision 1 exported \d{4}-/,
    )
    expect(row('conv-pending')).toMatch(/^conv-pending +pending +0 +6 +\S+ +\S+ +0 +closed \d{4}-/)
    expect(row('conv-open')).toMatch(/^conv-open +open +0 +2 +\S+ +\S+ +0$/)
    expect(all.stdout).toContain(`3 conversations in ${dataDir}\n`)

    const pending = await runCli(['store', 'list', '--store', dataDir, '--state', 'pending'])
    expect(pending.code, pending.stderr).toBe(0)
    expect(pending.stdout).toContain('conv-pending ')
    expect(pending.stdout).not.toContain('conv-open')
    expect(pending.stdout).not.toContain('conv-exported')
    expect(pending.stdout).toContain('1 conversation pending in')

    const one = await runCli(['store', 'list', '--store', dataDir, '--limit', '1'])
    expect(one.stdout).toContain('1 conversation in')
    expect(one.stdout).toContain('(the 1 most recently received: raise --limit for more)')
  })

  it('list --json: the StoredConversation fields, times as ISO strings; the store comes from SMARTSUPP_STORE too', async () => {
    const r = await runCli(['store', 'list', '--json'], { env: { SMARTSUPP_STORE: dataDir } })
    expect(r.code, r.stderr).toBe(0)
    const list = JSON.parse(r.stdout) as Record<string, unknown>[]
    expect(list.map((c) => c.conversationId).sort()).toEqual(['conv-exported', 'conv-open', 'conv-pending'])
    const pending = list.find((c) => c.conversationId === 'conv-pending')
    expect(pending).toMatchObject({
      accountId: '881987',
      state: 'pending',
      eventCount: 6,
      firstEventAt: '2024-03-14T09:30:00.000Z',
      lastEventAt: '2024-03-14T09:30:25.000Z',
      exportedAt: null,
      revision: 0,
      attempts: 0,
      failures: 0,
      failedAt: null,
      lastError: null,
      eventsAfterExport: 0,
    })
    expect(Object.keys(pending ?? {}).sort()).toEqual(
      [
        'accountId',
        'attempts',
        'closedAt',
        'conversationId',
        'eventCount',
        'eventsAfterExport',
        'exportedAt',
        'failedAt',
        'failures',
        'firstEventAt',
        'lastError',
        'lastEventAt',
        'lastReceivedAt',
        'revision',
        'state',
      ].sort(),
    )
  })

  it('show: the state, each event (time, name, key, size) and the assembled summary and transcript', async () => {
    const r = await runCli(['store', 'show', 'conv-pending', '--store', dataDir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Stored conversation conv-pending\n {2}state +pending\n/)
    expect(r.stdout).toMatch(/ {2}events +6\n/)
    expect(r.stdout).toMatch(/ {2}revision +0 \(never exported\)\n/)
    expect(r.stdout).toMatch(/ {2}failed tries +0 in a row\n/)
    const bodies = pendingEvents.map(bodyOf)
    for (const [i, event] of pendingEvents.entries()) {
      const size = `${bodies[i]?.length} bytes`
      const time = new Date(event.timestamp).toISOString()
      expect(r.stdout).toMatch(new RegExp(`${time} +${event.event.replace('.', '\\.')} +\\S+ +${size}\n`))
    }
    expect(r.stdout).toContain('\nSummary\n')
    expect(r.stdout).toMatch(/ {2}visitor +Jana Nováková\n/)
    expect(r.stdout).toMatch(/ {2}agents +Petr \(11\)\n/)
    expect(r.stdout).toMatch(/ {2}rating +5\/5 "great"\n/)
    // Webhooks never carry Smartsupp's own figures: said so, not called unreadable.
    expect(r.stdout).toMatch(/ {2}duration +[\d.]+ s \(Smartsupp: not sent by webhooks\)\n/)
    expect(r.stdout).not.toContain('unreadable')
    expect(r.stdout).toContain('\nTranscript\n')
    expect(r.stdout).toContain('Hello from conv-pending')
    expect(r.stdout).toContain('Answer for conv-pending')
  })

  it('show --json: the stored conversation, its events and the summary and transcript', async () => {
    const r = await runCli(['store', 'show', 'conv-exported', '--json', '--store', dataDir])
    expect(r.code, r.stderr).toBe(0)
    const shown = JSON.parse(r.stdout) as {
      conversation: { state: string }
      events: { event: string; key: string; bytes: number; poisoned: null }[]
      summary: { messageCount: number; rating: number }
      transcript: string
      assemblyError: null
    }
    expect(shown.conversation.state).toBe('exported')
    expect(shown.events.map((e) => e.event)).toEqual(exportedEvents.map((e) => e.event))
    expect(shown.events.map((e) => e.bytes)).toEqual(exportedEvents.map((e) => bodyOf(e).length))
    expect(shown.summary.rating).toBe(5)
    expect(shown.transcript).toContain('Answer for conv-exported')
    expect(shown.assemblyError).toBeNull()
  })

  it('show of an id not in the store: exit 1, naming store list', async () => {
    const r = await runCli(['store', 'show', 'conv-nope', '--store', dataDir])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `smartsupp-hook: no conversation "conv-nope" in ${dataDir} (see smartsupp-hook store list)\n`,
    )
  })

  it('poisoned: the undecodable body with its reason; --out writes its exact bytes, ready to replay', async () => {
    const out = join(dir, 'poisoned')
    const r = await runCli(['store', 'poisoned', '--store', dataDir, '--out', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /^poisoned received \S+ {2}\d+ bytes {2}smartsupp-webhook-poisoned:[0-9a-f]{64}\n {2}\S.*\n {2}→ /,
    )
    expect(r.stdout).toContain('1 poisoned event in')
    const files = readdirSync(out)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-poisoned-[0-9a-f]{16}\.json$/)
    expect(readFileSync(join(out, files[0] as string))).toEqual(poisonedBody)

    const json = await runCli(['store', 'poisoned', '--json', '--store', dataDir])
    const listed = JSON.parse(json.stdout) as { bytes: number; poisoned: string; file: null }[]
    expect(listed).toHaveLength(1)
    expect(listed[0]?.bytes).toBe(poisonedBody.length)
    expect(listed[0]?.poisoned).not.toBe('')
    expect(listed[0]?.file).toBeNull()
  })

  it('usage errors name the fix, exit 2', async () => {
    const cases: [string[], string][] = [
      [['store', 'list'], 'store: give --store <dir|postgres://…> (or set SMARTSUPP_STORE)'],
      [['store'], 'store: give what to do: list, show <conversationId> or poisoned'],
      [['store', 'drop', '--store', dataDir], 'store: no store command "drop"'],
      [['store', 'show', '--store', dataDir], 'store: show needs the conversation id'],
      [
        ['store', 'list', '--state', 'done', '--store', dataDir],
        '--state must be one of open, pending, claimed, exported, failed, got "done"',
      ],
      [['store', 'list', '--limit', '0', '--store', dataDir], '--limit must be a whole number from 1'],
      [
        ['store', 'list', '--store', join(dir, 'missing')],
        `no store at ${join(dir, 'missing')}: the directory does not exist`,
      ],
      [
        ['store', 'list', '--store', dir],
        `${dir} is not a PGlite data directory (it has no PG_VERSION file)`,
      ],
      [
        ['store', 'list', '--store', dataDir, '--table-prefix', 'Bad-Prefix'],
        '--table-prefix: tablePrefix "Bad-Prefix" is not usable',
      ],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(args, { env: { SMARTSUPP_STORE: undefined } })
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  })

  it('a --table-prefix with no tables is an error, and does not create them', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['store', 'list', '--store', dataDir, '--table-prefix', 'other_'])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(
        `smartsupp-hook: no event store in ${dataDir}: there is no table other_events (a receiver creates it on its first event); check --table-prefix (the default is smartsupp_)\n`,
      )
    }
  })

  it('a postmaster.pid left behind (PGlite writes -42 and leaves it when stopped) does not stop it; --force is ignored with a note', async () => {
    const pid = join(dataDir, 'postmaster.pid')
    writeFileSync(pid, '-42\n/pglite/data\n')
    try {
      const r = await runCli(['store', 'list', '--store', dataDir])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('3 conversations in')
      const forced = await runCli(['store', 'list', '--store', dataDir, '--force'])
      expect(forced.code, forced.stderr).toBe(0)
      expect(forced.stdout).toContain('3 conversations in')
      expect(forced.stderr).toBe(
        'smartsupp-hook: --force is no longer needed and is ignored: the store lock tells a live receiver from one that stopped or crashed\n',
      )
    } finally {
      if (existsSync(pid)) unlinkSync(pid)
    }
  })

  it('refuses a directory a live process holds, naming the process and the fix; opens it once that process lets go', async () => {
    const lock = await acquireDirectoryLock(dataDir, { command: 'the test runner' })
    try {
      for (const args of [
        ['store', 'list', '--store', dataDir],
        ['export', '--pending', '--store', dataDir, '--out', join(dir, 'never')],
      ]) {
        const refused = await runCli(args)
        expect(refused.code, args.join(' ')).toBe(2)
        expect(refused.stderr).toMatch(
          new RegExp(
            `^smartsupp-hook: the PGlite directory ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another process \\(pid ${process.pid}, the test runner, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); an embedded store serves one process at a time: stop that process first \\(a PostgreSQL store can be read any time\\)\n$`,
          ),
        )
      }
    } finally {
      await lock.release()
    }
    const r = await runCli(['store', 'list', '--store', dataDir])
    expect(r.code, r.stderr).toBe(0)
  })

  it('without the driver installed: the error names the package to install', async () => {
    const hide = join(process.cwd(), 'test/cli/hide-drivers.mjs')
    const env = { NODE_OPTIONS: `--import=${hide}` }
    const pglite = await runCli(['store', 'list', '--store', dataDir], { env })
    expect(pglite.code).toBe(2)
    expect(pglite.stderr).toBe(
      'smartsupp-hook: a directory store needs the optional package @electric-sql/pglite, which is not installed: npm install @electric-sql/pglite\n',
    )
    const pg = await runCli(['store', 'list', '--store', 'postgres://nobody@127.0.0.1:1/none'], { env })
    expect(pg.code).toBe(2)
    expect(pg.stderr).toBe(
      'smartsupp-hook: a postgres:// store needs the optional package pg, which is not installed: npm install pg\n',
    )
    // The commands that need no store still run without either driver.
    const check = await runCli(['check', 'examples/payloads/webhooks'], { env })
    expect(check.code, check.stderr).toBe(0)
  })
})

describe('smartsupp-hook store show, an id the store keeps escaped', { timeout: 60_000 }, () => {
  const longId = `conv-${'x'.repeat(600)}`
  let own: string
  beforeAll(async () => {
    own = mkdtempSync(join(tmpdir(), 'smartsupp-cli-store-long-'))
    const store = pgliteEventStore({ dataDir: join(own, 'store') })
    try {
      await deliverAll(store, closedConversation(longId).map(bodyOf))
    } finally {
      await store.close()
    }
  }, 120_000)
  afterAll(() => rmSync(own, { recursive: true, force: true }))

  it('list shows its stored form; show finds it by that form or by the real id', async () => {
    const where = join(own, 'store')
    const listed = await runCli(['store', 'list', '--store', where, '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    const [row] = JSON.parse(listed.stdout) as { conversationId: string }[]
    expect(row?.conversationId).toBe(storedConversationId(longId))
    expect(row?.conversationId).toMatch(/^~sha256~[0-9a-f]{64}$/)
    for (const id of [longId, row?.conversationId as string]) {
      const shown = await runCli(['store', 'show', id, '--store', where, '--json'])
      expect(shown.code, shown.stderr).toBe(0)
      const value = JSON.parse(shown.stdout) as {
        conversation: { conversationId: string }
        transcript: string
      }
      expect(value.conversation.conversationId).toBe(row?.conversationId)
      expect(value.transcript).toContain(`Hello from ${longId}`)
    }
  })
})
