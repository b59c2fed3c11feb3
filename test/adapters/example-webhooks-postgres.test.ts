// examples/webhooks-postgres, started with its npm script as a user would: signed events over
// real HTTP, shuffled and re-delivered, end as one row in finished_conversations with the whole
// transcript, on the embedded store (PGlite data directory) and on a PostgreSQL server shared by
// two instances of the example.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import {
  assembleConversation,
  parseWebhookEvent,
  signWebhookBody,
  transcript,
  WEBHOOK_SIGNATURE_HEADER,
} from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createFinishedConversationsTable,
  type Sql,
  writeFinishedConversation,
} from '../../examples/webhooks-postgres/server.js'
import { runCli } from '../cli/cli-process.js'
import { inCi, postgresUrl } from '../store/support/postgres-url.js'
import { seededRandom as random } from '../support/seeded-random.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
const SECRET = 'example-postgres-secret-0123456789'
/** Short enough for a test, long enough that every delivery of a burst arrives before the export. */
const FAST = { SMARTSUPP_SETTLE_MS: '1000', SMARTSUPP_SWEEP_INTERVAL_MS: '100' }

interface Example {
  readonly child: ChildProcess
  readonly output: () => string
  readonly url: Promise<string>
}

const running: ChildProcess[] = []
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const child of running.splice(0)) await stopExample(child)
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** `npm run example:webhooks-postgres`'s command with PORT=0 and `env` in the environment. */
function startExample(env: Record<string, string | undefined>, args: readonly string[] = []): Example {
  const [bin, ...scriptArgs] = (scripts['example:webhooks-postgres'] ?? '').split(' ')
  expect(bin).toBe('tsx')
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [...scriptArgs, ...args], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      SMARTSUPP_WEBHOOK_SECRET: SECRET,
      SMARTSUPP_APP_ID: undefined,
      DATABASE_URL: undefined,
      SMARTSUPP_EVENTS_DIR: undefined,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let output = ''
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output)?.[1]
      if (found !== undefined) resolve(found)
    })
    child.on('exit', (code) => reject(new Error(`the example exited with ${code}:\n${output}`)))
  })
  url.catch(() => {}) // awaited by the test; an exit after listening is not a failure here
  return { child, output: () => output, url }
}

/**
 * SIGTERM, as a process manager stops it: the example closes its database (closeOnSignals) and
 * ends by the signal, as a process without a handler would: status 143 (128 + 15), as a shell and
 * tsx report it (or its exit code, if it had exited already).
 */
async function stopExample(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal === null ? code : 128 + constants.signals[signal])),
  )
  child.kill('SIGTERM')
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
  const code = await exited
  clearTimeout(kill)
  return code
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** A conversation's events as Smartsupp's bodies: two agents, a bot, a rating, closed by an agent. */
function conversationBodies(id: string): string[] {
  const petra = { id: '11', name: 'Petra' }
  const tomas = { id: '12', name: 'Tomáš' }
  return webhookConversation({ id, startAt: Date.UTC(2026, 10, 2, 9) })
    .opened()
    .contactReplied(`Hello, this is ${id}`)
    .botReplied('An agent will be with you shortly')
    .agentJoined(petra)
    .agentReplied(petra, 'Hi, how can I help?')
    .contactReplied('Where is my order?')
    .agentJoined(tomas)
    .agentReplied(tomas, 'It ships tomorrow')
    .agentLeft(petra)
    .rated(4, 'fine')
    .closed({ by: tomas })
    .build()
    .map((event) => JSON.stringify(event))
}

/** The transcript the example must write: the events assembled here, in order. */
function expectedTranscript(bodies: readonly string[]): string {
  const events = bodies.map((body) => {
    const decoded = parseWebhookEvent(body)
    if (decoded._tag === 'Left') throw new Error(decoded.left.message)
    return decoded.right
  })
  const assembled = assembleConversation(events)
  if (assembled._tag === 'Left') throw new Error(assembled.left.message)
  return transcript(assembled.right, { format: 'text' })
}

async function post(url: string, body: string, secret = SECRET): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, secret),
    },
    body,
  })
  await response.arrayBuffer()
  return response.status
}

/** Polls `read` until it returns something other than `undefined`. */
async function until<T>(read: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const exportLines = (output: string, id: string) =>
  output.split('\n').filter((line) => line.startsWith(`exported conversation ${id} `))

describe('examples/webhooks-postgres: the table', () => {
  it('the write keeps the highest revision: the same revision again (a lease ran out mid-export) or an older one leaves the row; a newer one replaces it', async () => {
    const db = await PGlite.create()
    cleanups.push(() => db.close())
    const sql: Sql = {
      query: async <Row>(text: string, params: readonly unknown[] = []) =>
        (await db.query<Row>(text, [...params])).rows,
      exec: async (script) => {
        await db.exec(script)
      },
    }
    await createFinishedConversationsTable(sql)
    await createFinishedConversationsTable(sql) // each instance runs it at start
    const bodies = conversationBodies('example-twice')
    const events = bodies.map((body) => {
      const decoded = parseWebhookEvent(body)
      if (decoded._tag === 'Left') throw new Error(decoded.left.message)
      return decoded.right
    })
    const whole = assembleConversation(events)
    const partial = assembleConversation(events.slice(0, 4))
    if (whole._tag === 'Left' || partial._tag === 'Left') throw new Error('does not assemble')
    expect(await writeFinishedConversation(sql, partial.right, { reason: 'quiet', revision: 1 })).toBe(true)
    expect(await writeFinishedConversation(sql, whole.right, { reason: 'closed', revision: 1 })).toBe(false)
    const read = () =>
      sql.query(
        'SELECT conversation_id, message_count, finished_reason, revision, transcript FROM finished_conversations',
      )
    expect((await read()).map((r) => (r as { message_count: number }).message_count)).toEqual([
      partial.right.messages.length,
    ])
    // Revision 2: the conversation exported again, whole, after late events.
    expect(await writeFinishedConversation(sql, whole.right, { reason: 'closed', revision: 2 })).toBe(true)
    expect(await writeFinishedConversation(sql, partial.right, { reason: 'quiet', revision: 1 })).toBe(false)
    expect(await read()).toEqual([
      {
        conversation_id: 'example-twice',
        message_count: 9,
        finished_reason: 'closed',
        revision: 2,
        transcript: expectedTranscript(bodies),
      },
    ])
  })
})

describe('examples/webhooks-postgres on the embedded store (PGlite data directory)', () => {
  it('writes a shuffled, re-delivered conversation once, with its transcript, in the same database; a re-run adds nothing', {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-example-pg-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const eventsDir = join(dataDir, 'events')
    const id = 'example-pglite-1'
    const bodies = conversationBodies(id)
    const expected = expectedTranscript(bodies)
    // The expected transcript is the conversation, in time order, whatever order it arrives in.
    expect(expected.split('\n').map((line) => line.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Jana Nováková: Hello, this is example-pglite-1',
      'Automatic message (Bot): An agent will be with you shortly',
      '* Petra joined',
      'Petra: Hi, how can I help?',
      'Jana Nováková: Where is my order?',
      '* Tomáš joined',
      'Tomáš: It ships tomorrow',
      '* Petra left',
      '* Tomáš closed the chat',
    ])

    const first = startExample({ SMARTSUPP_EVENTS_DIR: eventsDir, ...FAST })
    const url = await first.url
    expect(url).toMatch(/\/webhooks\/smartsupp$/)
    expect(first.output()).toContain(`events and finished_conversations in PGlite in ${eventsDir}`)
    expect(await post(url, bodies[0] as string, 'another-secret')).toBe(401)

    const deliveries = shuffled([...bodies, bodies[4] as string], random(12))
    expect(deliveries[0]).not.toBe(bodies[0]) // really out of order
    expect(await Promise.all(deliveries.map((body) => post(url, body)))).toEqual(deliveries.map(() => 200))

    const base = url.replace(/\/webhooks\/smartsupp$/, '')
    const row = await until(async () => {
      const response = await fetch(`${base}/finished-conversations/${id}`)
      const json = (await response.json()) as Record<string, unknown>
      return response.status === 200 ? json : undefined
    }, `the row of ${id}`)
    expect(row).toMatchObject({
      conversation_id: id,
      account_id: '881987',
      category: 'chat',
      agent_ids: ['11', '12'],
      agent_names: ['Petra', 'Tomáš'],
      message_count: 9,
      visitor_message_count: 2,
      agent_message_count: 2,
      triggered_message_count: 1,
      rating: 4,
      rating_comment: 'fine',
      finished_reason: 'closed',
      transcript: expected,
    })
    // Past another settle period and a few sweeps: a second export would show now.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(exportLines(first.output(), id)).toEqual([
      `exported conversation ${id} (closed, revision 1, attempt 1, 9 messages): row written`,
    ])
    // The running example holds its directory: the CLI refuses it and names the process.
    const refused = await runCli(['store', 'list', '--store', eventsDir])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/is in use by another process \(pid \d+, node server\.ts, since /)
    expect(await stopExample(first.child)).toBe(143)
    // Stopped, it let go of it: no --force.
    const listed = await runCli(['store', 'list', '--store', eventsDir])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`^${id} +exported +1 +${bodies.length} `, 'm'))

    // A second run on the same directory: the events are there, re-deliveries add nothing.
    const second = startExample({ SMARTSUPP_EVENTS_DIR: eventsDir, ...FAST })
    const again = await second.url
    expect(await Promise.all(bodies.map((body) => post(again, body)))).toEqual(bodies.map(() => 200))
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(exportLines(second.output(), id)).toEqual([])
    expect(await stopExample(second.child)).toBe(143)

    // The table is in the store's database: one row, the transcript, beside the exported conversation.
    const db = await PGlite.create({ dataDir: eventsDir })
    try {
      const rows = (
        await db.query<{ conversation_id: string; transcript: string }>(
          'SELECT conversation_id, transcript FROM finished_conversations',
        )
      ).rows
      expect(rows).toEqual([{ conversation_id: id, transcript: expected }])
      const state = (
        await db.query<{ event_count: number; exported: boolean }>(
          'SELECT event_count, exported_at IS NOT NULL AS exported FROM smartsupp_conversations WHERE conversation_id = $1',
          [id],
        )
      ).rows
      expect(state).toEqual([{ event_count: bodies.length, exported: true }])
    } finally {
      await db.close()
    }
  })

  it('--demo, with no secret set, posts a conversation to itself and prints the row it wrote', {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsupp-example-demo-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const demo = startExample({ SMARTSUPP_WEBHOOK_SECRET: undefined, SMARTSUPP_EVENTS_DIR: dataDir }, [
      '--demo',
    ])
    await demo.url
    await until(async () => (demo.output().includes('You are welcome!') ? true : undefined), 'the demo row')
    const log = demo.output()
    expect(log).toContain('demo: SMARTSUPP_WEBHOOK_SECRET is not set; using a random secret for this run')
    expect(log.match(/^demo: posted .* → 200$/gm)).toHaveLength(9)
    expect(log).toMatch(
      /exported conversation demo-\S+ \(closed, revision 1, attempt 1, 6 messages\): row written/,
    )
    expect(log).toContain("category: 'chat'")
    expect(log).toMatch(/demo: its transcript:\n\[[^\]]+\] Jana Nováková: Hello, is size M in stock\?\n/)
    expect(log).not.toMatch(/failed/)
  })

  it('without SMARTSUPP_WEBHOOK_SECRET (and no --demo) it says how to set it and exits 1', {
    timeout: 60_000,
  }, async () => {
    const { child, output } = startExample({ SMARTSUPP_WEBHOOK_SECRET: undefined })
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(output()).toContain('SMARTSUPP_WEBHOOK_SECRET=<secret> npm run example:webhooks-postgres')
    expect(output()).toContain('npm run example:webhooks-postgres -- --demo')
  })
})

describe.skipIf(postgresUrl === undefined && !inCi)(
  'examples/webhooks-postgres on PostgreSQL (DATABASE_URL)',
  () => {
    it('two instances on one database, every event delivered to both: one row and one export per conversation', {
      timeout: 120_000,
    }, async () => {
      expect(
        postgresUrl,
        'SMARTSUPP_TEST_POSTGRES_URL must be set in CI (.ci/run starts PostgreSQL)',
      ).toBeDefined()
      // A schema of its own (the example's tables have fixed names), chosen by search_path in the URL.
      const schema = `example_wp_${process.pid}_${Date.now().toString(36)}`
      const admin = new pg.Client({ connectionString: postgresUrl })
      await admin.connect()
      await admin.query(`CREATE SCHEMA ${schema}`)
      cleanups.push(async () => {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`)
        await admin.end()
      })
      const databaseUrl = new URL(postgresUrl as string)
      databaseUrl.searchParams.set('options', `-c search_path=${schema}`)

      const env = { DATABASE_URL: databaseUrl.href, ...FAST }
      const instances = [startExample(env), startExample(env)]
      const urls = await Promise.all(instances.map((instance) => instance.url))
      expect(urls[0]).not.toBe(urls[1])
      for (const instance of instances)
        expect(instance.output()).toMatch(/in PostgreSQL at 127\.0\.0\.1:\d+\//)

      const ids = ['example-pg-1', 'example-pg-2', 'example-pg-3']
      const expected = new Map(ids.map((id) => [id, expectedTranscript(conversationBodies(id))]))
      const rand = random(2026)
      const deliveries = ids.flatMap((id) => {
        const bodies = conversationBodies(id)
        // Every event to both instances (as after a timeout re-delivered elsewhere), one of them twice.
        return [
          ...urls.flatMap((url) => bodies.map((body) => ({ url, body }))),
          { url: urls[0] as string, body: bodies[3] as string },
        ]
      })
      const statuses = await Promise.all(shuffled(deliveries, rand).map((d) => post(d.url, d.body)))
      expect(statuses).toEqual(deliveries.map(() => 200))

      const rows = await until(async () => {
        const { rows } = await admin.query<{
          conversation_id: string
          transcript: string
          message_count: number
        }>(
          `SELECT conversation_id, transcript, message_count FROM ${schema}.finished_conversations ORDER BY conversation_id`,
        )
        return rows.length === ids.length ? rows : undefined
      }, 'three rows')
      await new Promise((resolve) => setTimeout(resolve, 1500))
      const again = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.finished_conversations`)
      expect(again.rows).toEqual([{ n: ids.length }])
      expect(rows).toEqual(
        ids.map((id) => ({ conversation_id: id, transcript: expected.get(id), message_count: 9 })),
      )

      const outputs = instances.map((instance) => instance.output())
      for (const id of ids) {
        const lines = outputs.flatMap((output) => exportLines(output, id))
        expect(lines, id).toEqual([
          `exported conversation ${id} (closed, revision 1, attempt 1, 9 messages): row written`,
        ])
      }
      for (const output of outputs) expect(output).not.toMatch(/failed/)
      // The store's own tables are in the same schema as the example's.
      const tables = await admin.query<{ tablename: string }>(
        'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
        [schema],
      )
      expect(tables.rows.map((t) => t.tablename)).toEqual([
        'finished_conversations',
        'smartsupp_conversations',
        'smartsupp_events',
        'smartsupp_schema_version',
      ])
      for (const instance of instances) expect(await stopExample(instance.child)).toBe(143)
    })
  },
)
