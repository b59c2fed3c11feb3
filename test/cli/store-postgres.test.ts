// `store list` and `export --pending` against a real PostgreSQL server (SMARTSUPP_TEST_POSTGRES_URL;
// skipped without one outside CI, failing in CI): two concurrent export runs export each
// conversation once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresEventStore } from '../../src/store/postgres-event-store.js'
import { dropTables } from '../store/support/drop-tables.js'
import { postgresUrl, requirePostgresUrl, skipPostgres, uniquePrefix } from '../store/support/postgres-url.js'
import { runCli } from './cli-process.js'
import { appendAll, closedConversation, openConversation } from './store-seed.js'

const COUNT = 24
const ids = Array.from({ length: COUNT }, (_, i) => `pg-conv-${String(i).padStart(2, '0')}`)

describe.skipIf(skipPostgres)('smartsupp-hook store and export on PostgreSQL', { timeout: 120_000 }, () => {
  const prefix = uniquePrefix('cli')
  let url: string
  let dir: string
  let pool: pg.Pool

  beforeAll(async () => {
    url = requirePostgresUrl()
    dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-pg-'))
    pool = new pg.Pool({ connectionString: url })
    const store = postgresEventStore({ pool, tablePrefix: prefix })
    for (const id of ids) await appendAll(store, closedConversation(id))
    await appendAll(store, openConversation('pg-open'))
  }, 120_000)

  afterAll(async () => {
    if (pool !== undefined) {
      await dropTables(pool, prefix)
      await pool.end()
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('list: the same table as on PGlite; the URL is printed without its password', async () => {
    const r = await runCli(['store', 'list', '--store', url, '--table-prefix', prefix, '--limit', '500'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(
      /^CONVERSATION +STATE +REVISION +EVENTS +LAST EVENT +LAST RECEIVED +ATTEMPTS +NOTE$/,
    )
    for (const id of ids) expect(r.stdout).toMatch(new RegExp(`\\n${id} +pending +0 +6 `))
    expect(r.stdout).toMatch(/\npg-open +open +0 +2 /)
    expect(r.stdout).toContain(`${COUNT + 1} conversations in `)
    const withPassword = new URL(url)
    withPassword.password = 'not-the-password'
    const wrong = await runCli(['store', 'list', '--store', withPassword.href, '--table-prefix', prefix])
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-password')
  })

  it('two export --pending runs at once export each conversation exactly once', async () => {
    const log = join(dir, 'exported.log')
    const handler = join(dir, 'slow-handler.mjs')
    // Slow enough that the two runs overlap; O_APPEND keeps each short line whole.
    writeFileSync(
      handler,
      `import { appendFileSync } from 'node:fs'
export default async function (conversation) {
  await new Promise((resolve) => setTimeout(resolve, 25))
  appendFileSync(${JSON.stringify(log)}, conversation.id + ' ' + process.pid + '\\n')
}
`,
    )
    const args = [
      'export',
      '--pending',
      '--store',
      url,
      '--table-prefix',
      prefix,
      '--handler',
      handler,
      '--settle-ms',
      '0',
    ]
    const [a, b] = await Promise.all([runCli(args), runCli(args)])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    // On a busy machine one run may claim everything before the other starts: it finds nothing due.
    const counted = (out: string) =>
      /^nothing to export in /m.test(out)
        ? 0
        : Number(/(\d+) conversations? exported, 0 failed/.exec(out)?.[1] ?? Number.NaN)
    expect(counted(a.stdout) + counted(b.stdout)).toBe(COUNT)
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean)
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(ids)

    const after = await runCli([
      'store',
      'list',
      '--store',
      url,
      '--table-prefix',
      prefix,
      '--state',
      'exported',
      '--json',
      '--limit',
      '500',
    ])
    expect(
      (JSON.parse(after.stdout) as { conversationId: string }[]).map((c) => c.conversationId).sort(),
    ).toEqual(ids)
    const again = await runCli(args)
    expect(again.stdout).toMatch(/^nothing to export/)
  })

  it('an unreachable server: exit 2, naming the store', async () => {
    const r = await runCli(['store', 'list', '--store', 'postgres://nobody:secret@127.0.0.1:1/none'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^smartsupp-hook: cannot reach the store at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /,
    )
  })
})

// Without a server outside CI the block above is skipped; say so in the output.
if (skipPostgres && postgresUrl === undefined) {
  describe('smartsupp-hook store on PostgreSQL', () => {
    it.skip('needs SMARTSUPP_TEST_POSTGRES_URL', () => undefined)
  })
}
