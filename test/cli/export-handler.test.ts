// `export --handler` as users write it (a missing file, a .ts module, a module that fails to
// load) and `export --out` with a deeply nested body: child processes on a real PGlite store.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonText } from '../../src/cli/json-text.js'
import { parseWebhookEvent } from '../../src/decode/webhook/parse-webhook-event.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { storedEventOf } from '../../src/store/stored-event-of.js'
import { bundleCli, runBundledCli } from './bundled-cli.js'
import { runCli } from './cli-process.js'
import { appendAll, closedConversation } from './store-seed.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
/** An absolute path of this machine at the start of a word: what no message may hold. */
const ABSOLUTE = /(^|[\s'"(:])\/(?:[\w.-]+\/)*[\w.-]+/m
const DEPTH = 8000

let dir: string
let seeded: string
let copies = 0
let cli: string

/** A fresh copy of the seeded store. */
function storeCopy(): string {
  const copy = join(dir, `store-${++copies}`)
  cpSync(seeded, copy, { recursive: true })
  return copy
}

/** A closed conversation whose first event carries a value nested DEPTH levels deep. */
function deepConversation() {
  const events = closedConversation('conv-deep')
  let deep: unknown = 'bottom'
  for (let i = 0; i < DEPTH; i++) deep = i % 2 === 0 ? [deep] : { k: deep }
  const first = events[0] as unknown as { data: Record<string, unknown> }
  first.data = { ...first.data, extra: deep }
  return events
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-handler-'))
  seeded = join(dir, 'seeded')
  const store = pgliteEventStore({ dataDir: seeded })
  try {
    await appendAll(store, closedConversation('conv-one'))
    // Written by jsonText: JSON.stringify overflows the stack at this depth, as the export did.
    for (const event of deepConversation()) {
      const bytes = Buffer.from(jsonText(event) as string)
      const decoded = parseWebhookEvent(bytes)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      await store.append(storedEventOf(decoded.right, bytes))
    }
  } finally {
    await store.close()
  }
  cli = await bundleCli()
}, 120_000)

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  if (cli !== undefined) rmSync(cli, { force: true })
})

/** A handler that appends each conversation's id and message count to `log`. */
function recordingHandler(log: string, typed: boolean): string {
  const annotation = typed ? ': { id: string; messages: readonly unknown[] }' : ''
  return `import { appendFileSync } from 'node:fs'
export default async function (conversation${annotation}) {
  appendFileSync(${JSON.stringify(log)}, conversation.id + ' ' + conversation.messages.length + '\\n')
}
`
}

const exportArgs = (store: string, handler: string) => [
  'export',
  '--pending',
  '--store',
  store,
  '--handler',
  handler,
  '--settle-ms',
  '0',
  '--quiet-ms',
  'none',
]

describe('export --handler as users write it', { timeout: 120_000 }, () => {
  it('a missing handler file: exit 2, naming the file as typed, no absolute path of this machine', async () => {
    const r = await runCli(exportArgs(storeCopy(), './nope.mjs'))
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('smartsupp-hook: cannot load --handler ./nope.mjs: no such file\n')
  })

  it('a handler that fails to load (a missing package): the reason, with its file as typed, no absolute path', async () => {
    const handlers = join(root, 'node_modules', '.cache', 'smartsupp-hook-tests', `h-${process.pid}`)
    mkdirSync(handlers, { recursive: true })
    try {
      writeFileSync(
        join(handlers, 'needs.mjs'),
        "import 'not-a-package-for-smartsupp'\nexport default () => {}\n",
      )
      const typed = `./node_modules/.cache/smartsupp-hook-tests/h-${process.pid}/needs.mjs`
      const r = await runCli(exportArgs(storeCopy(), typed))
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(
        `cannot load --handler ${typed}: Cannot find package 'not-a-package-for-smartsupp'`,
      )
      expect(r.stderr).not.toContain(root)
      expect(r.stderr).not.toMatch(ABSOLUTE)
    } finally {
      rmSync(handlers, { recursive: true, force: true })
    }
  })

  it('a .ts handler runs where the runtime can load TypeScript (here: node --import tsx)', async () => {
    const log = join(dir, 'ts-under-tsx.log')
    const handler = join(dir, 'handler-a.ts')
    writeFileSync(handler, recordingHandler(log, true))
    const r = await runCli(exportArgs(storeCopy(), handler))
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'conv-deep 4',
      'conv-one 4',
    ])
  })

  it('plain node, tsx not installed where the handler is: exit 2 with the command that fixes it', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'smartsupp-ts-alone-'))
    try {
      writeFileSync(join(alone, 'handler.ts'), recordingHandler(join(alone, 'log'), true))
      const r = await runBundledCli(cli, exportArgs(storeCopy(), './handler.ts'), alone)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(
        /^smartsupp-hook: cannot load --handler \.\/handler\.ts: Node \S+ cannot run TypeScript by itself\. Install tsx beside it, npm i -D tsx, and run the same command again/,
      )
      expect(r.stderr).not.toMatch(ABSOLUTE)
    } finally {
      rmSync(alone, { recursive: true, force: true })
    }
  })

  it('plain node, tsx installed where the handler is: the .ts handler is loaded through it and runs', async () => {
    const project = mkdtempSync(join(tmpdir(), 'smartsupp-ts-project-'))
    try {
      mkdirSync(join(project, 'node_modules'))
      symlinkSync(join(root, 'node_modules', 'tsx'), join(project, 'node_modules', 'tsx'), 'dir')
      const log = join(project, 'exported.log')
      writeFileSync(join(project, 'handler.ts'), recordingHandler(log, true))
      const r = await runBundledCli(cli, exportArgs(storeCopy(), './handler.ts'), project)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('2 conversations exported, 0 failed')
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
        'conv-deep 4',
        'conv-one 4',
      ])
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  })
})

describe('export --out with a deeply nested body', { timeout: 120_000 }, () => {
  it(`writes a conversation whose event nests ${DEPTH} levels deep (JSON.stringify overflows): exported once, its raw value whole`, async () => {
    const out = join(dir, 'out-deep')
    const r = await runCli([
      'export',
      '--pending',
      '--store',
      storeCopy(),
      '--out',
      out,
      '--settle-ms',
      '0',
      '--quiet-ms',
      'none',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('2 conversations exported, 0 failed')
    const text = readFileSync(join(out, 'conv-deep.json'), 'utf8')
    const json = JSON.parse(text) as { id: string; events: { raw: unknown }[] }
    expect(json.id).toBe('conv-deep')
    // Compared as text: a deep equality check would overflow the stack too.
    expect(jsonText(json.events.map((e) => e.raw))).toBe(jsonText(deepConversation()))
    // Indented where a person reads it, compact where the raw value goes deep.
    expect(text.startsWith('{\n  "source": ')).toBe(true)
    expect(text.length).toBeLessThan(1_000_000)
  })
})
