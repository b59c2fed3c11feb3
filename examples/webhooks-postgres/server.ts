// Whole conversations from Smartsupp webhooks, written to a table: an Express receiver that keeps
// every event in an event store and, once per finished conversation, writes its summary and
// transcript to `finished_conversations` in the same database.
//
//   SMARTSUPP_WEBHOOK_SECRET=<the app's secret> npm run example:webhooks-postgres
//     embedded PostgreSQL (PGlite) in ./.smartsupp-events (SMARTSUPP_EVENTS_DIR to move it); no server
//   DATABASE_URL=postgres://user:password@host:5432/db PORT=3001 npm run example:webhooks-postgres
//     a PostgreSQL server instead; start as many instances as you like (each on its own PORT)
//     against one DATABASE_URL: each finished conversation is written once per revision (again,
//     whole, when events arrive after its export)
//   npm run example:webhooks-postgres -- --demo
//     posts a signed conversation to itself once listening and prints the row it wrote
//
// Then ask Smartsupp support to send the webhooks to http://<your host>:3000/webhooks/smartsupp.
// Optional: SMARTSUPP_APP_ID (accept only this app's events), SMARTSUPP_SETTLE_MS (default 30 s:
// how long a closed conversation waits for late deliveries), SMARTSUPP_QUIET_MS (default 30 min:
// when a never-closed conversation counts as finished), SMARTSUPP_SWEEP_INTERVAL_MS (default 5 s).
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import express, { type Express } from 'express'
import {
  type AssembledConversation,
  signWebhookBody,
  summary,
  transcript,
  WEBHOOK_SIGNATURE_HEADER,
} from 'smartsupp-hook'
import { smartsuppWebhook } from 'smartsupp-hook/express'
import { closeOnSignals, type EventStore, type FinishedContext } from 'smartsupp-hook/store'
import { webhookConversation } from 'smartsupp-hook/testing'

/** The SQL this example runs on its own table: a query with parameters, and a script of several statements. */
export interface Sql {
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>
  exec(script: string): Promise<void>
}

/** The event store and the example's own table, in one database. */
export interface ExampleDatabase {
  readonly store: EventStore
  readonly sql: Sql
  /** Where the data lives, for the log (no password). */
  readonly description: string
  close(): Promise<void>
}

/**
 * Opens the database: with `databaseUrl`, a PostgreSQL server through one node-postgres pool
 * shared by the event store and the table (`npm install pg`); without it, PGlite persisted to
 * `dataDir` (`npm install @electric-sql/pglite`). Each driver is imported only when used. On
 * PGlite the table uses the store's own instance (`store.pglite()`): a data directory is open in
 * one PGlite, in one process, at a time.
 */
export async function openExampleDatabase(options: {
  readonly databaseUrl?: string | undefined
  readonly dataDir: string
}): Promise<ExampleDatabase> {
  if (options.databaseUrl) {
    const { default: pg } = await import('pg')
    const { postgresEventStore } = await import('smartsupp-hook/store/postgres')
    const pool = new pg.Pool({ connectionString: options.databaseUrl })
    pool.on('error', (error) => console.error('PostgreSQL: an idle connection failed', error))
    const store = postgresEventStore({ pool })
    const url = new URL(options.databaseUrl)
    return {
      store,
      sql: {
        query: async <Row>(text: string, params: readonly unknown[] = []) =>
          (await pool.query(text, [...params])).rows as Row[],
        exec: async (script) => {
          await pool.query(script)
        },
      },
      description: `PostgreSQL at ${url.host}${url.pathname}`,
      close: async () => {
        await store.close()
        await pool.end()
      },
    }
  }
  const { pgliteEventStore } = await import('smartsupp-hook/store/pglite')
  const store = pgliteEventStore({ dataDir: options.dataDir })
  // The store's own PGlite (opened now, the directory locked for this process): the table lives
  // beside the events.
  const db = await store.pglite()
  return {
    store,
    sql: {
      query: async <Row>(text: string, params: readonly unknown[] = []) =>
        (await db.query<Row>(text, [...params])).rows,
      exec: async (script) => {
        await db.exec(script)
      },
    },
    description: `PGlite in ${options.dataDir}`,
    close: () => store.close(),
  }
}

/**
 * Creates `finished_conversations` if missing. Several instances may start at once, and two
 * concurrent `CREATE TABLE IF NOT EXISTS` can still collide in PostgreSQL's catalog, so it runs
 * under a transaction-scoped advisory lock (the key is this example's own constant).
 */
export async function createFinishedConversationsTable(sql: Sql): Promise<void> {
  await sql.exec(`
    BEGIN;
    SELECT pg_advisory_xact_lock(7305571829016243);
    CREATE TABLE IF NOT EXISTS finished_conversations (
      conversation_id text PRIMARY KEY,
      account_id text,
      category text NOT NULL,
      begin_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      visitor_name text,
      visitor_email text,
      agent_ids text[] NOT NULL,
      agent_names text[] NOT NULL,
      message_count integer NOT NULL,
      visitor_message_count integer NOT NULL,
      agent_message_count integer NOT NULL,
      triggered_message_count integer NOT NULL,
      total_ms double precision NOT NULL,
      first_response_ms double precision,
      average_response_ms double precision,
      rating integer,
      rating_comment text,
      warning_count integer NOT NULL,
      transcript text NOT NULL,
      finished_reason text NOT NULL,
      -- Which export of the conversation the row holds (FinishedContext.revision).
      revision integer NOT NULL,
      written_at timestamptz NOT NULL DEFAULT now()
    );
    -- A table made by an earlier version of this example: its rows were the first exports.
    ALTER TABLE finished_conversations ADD COLUMN IF NOT EXISTS revision integer NOT NULL DEFAULT 1;
    COMMIT;
  `)
}

/**
 * Writes one finished conversation: its `summary()` fields and its plain-text `transcript()`.
 * An upsert keyed by the conversation id that keeps the highest revision: a later revision (the
 * conversation exported again, whole, after late events) replaces the row; the same revision
 * again (a process died mid-export and its lease ran out) or an older one writes nothing.
 * Returns whether the row was written.
 */
export async function writeFinishedConversation(
  sql: Sql,
  conversation: AssembledConversation,
  context: Pick<FinishedContext, 'reason' | 'revision'>,
): Promise<boolean> {
  const s = summary(conversation)
  const rows = await sql.query(
    `INSERT INTO finished_conversations (
       conversation_id, account_id, category, begin_at, end_at, visitor_name, visitor_email,
       agent_ids, agent_names, message_count, visitor_message_count, agent_message_count,
       triggered_message_count, total_ms, first_response_ms, average_response_ms, rating,
       rating_comment, warning_count, transcript, finished_reason, revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (conversation_id) DO UPDATE SET
       account_id = excluded.account_id, category = excluded.category, begin_at = excluded.begin_at,
       end_at = excluded.end_at, visitor_name = excluded.visitor_name,
       visitor_email = excluded.visitor_email, agent_ids = excluded.agent_ids,
       agent_names = excluded.agent_names, message_count = excluded.message_count,
       visitor_message_count = excluded.visitor_message_count,
       agent_message_count = excluded.agent_message_count,
       triggered_message_count = excluded.triggered_message_count, total_ms = excluded.total_ms,
       first_response_ms = excluded.first_response_ms,
       average_response_ms = excluded.average_response_ms, rating = excluded.rating,
       rating_comment = excluded.rating_comment, warning_count = excluded.warning_count,
       transcript = excluded.transcript, finished_reason = excluded.finished_reason,
       revision = excluded.revision, written_at = now()
     WHERE finished_conversations.revision < excluded.revision
     RETURNING conversation_id`,
    [
      s.id,
      s.accountId,
      s.category,
      s.beginAt,
      s.endAt,
      s.visitorName,
      s.visitorEmail,
      s.agentIds,
      s.agentNames,
      s.messageCount,
      s.visitorMessageCount,
      s.agentMessageCount,
      s.triggeredMessageCount,
      s.totalMs,
      s.firstResponseMs,
      s.averageResponseMs,
      s.rating,
      s.ratingComment,
      s.warningCount,
      transcript(conversation, { format: 'text' }),
      context.reason,
      context.revision,
    ],
  )
  return rows.length === 1
}

/** Options of `createWebhooksPostgresApp`. */
export interface WebhooksPostgresAppOptions {
  readonly secret: string
  readonly database: ExampleDatabase
  readonly appId?: string | undefined
  /** Passed to the receiver; left out, its defaults apply (30 s, 30 min, 5 s). */
  readonly settleMs?: number | undefined
  readonly quietMs?: number | undefined
  readonly sweepIntervalMs?: number | undefined
  /** Where the example's lines go. Default `console.log`. */
  readonly log?: (line: string) => void
}

/**
 * The example app: the webhook receiver mounted with app.use before express.json(), so it
 * verifies X-Smartsupp-Hmac over the exact bytes, with the event store; each finished
 * conversation is written to `finished_conversations`. `GET /finished-conversations/:id` shows a
 * written row. Call `createFinishedConversationsTable` before the first delivery.
 */
export function createWebhooksPostgresApp(options: WebhooksPostgresAppOptions): Express {
  const { database } = options
  const log = options.log ?? ((line: string) => console.log(line))
  const app = express()
  app.use(
    '/webhooks/smartsupp',
    smartsuppWebhook({
      secret: options.secret,
      ...(options.appId === undefined ? {} : { appId: options.appId }),
      store: database.store,
      ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
      ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
      ...(options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs }),
      onConversationFinished: async (conversation, context) => {
        const written = await writeFinishedConversation(database.sql, conversation, context)
        log(
          `exported conversation ${conversation.id} (${context.reason}, revision ${context.revision}, attempt ${context.attempt}, ${conversation.messages.length} messages): ${written ? 'row written' : 'row was already there'}`,
        )
      },
      // The store was down (answered 500, Smartsupp re-delivers), or a body could not be kept.
      onError: (error, context) =>
        console.error(`failed on a ${context.rawBody.length}-byte webhook delivery`, error),
      // Writing the row failed: the conversation stays in the store and is retried later.
      onExportError: (error, conversationId) =>
        console.error(
          `export of conversation ${conversationId ?? '(unknown)'} failed; it will be retried`,
          error,
        ),
    }),
  )
  app.use(express.json()) // the rest of your app, with its body parsers, comes after the receiver
  app.get('/finished-conversations/:id', async (req, res) => {
    const [row] = await database.sql.query(
      'SELECT * FROM finished_conversations WHERE conversation_id = $1',
      [req.params.id],
    )
    if (row === undefined) res.status(404).json({ error: 'not written (yet)' })
    else res.json(row)
  })
  return app
}

/** A milliseconds setting from the environment; `undefined` when unset, exit 1 naming it when not a number. */
function msFromEnv(name: string, fallback?: number): number | undefined {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const ms = Number(value)
  if (!Number.isFinite(ms) || ms < 0) {
    console.error(`${name} must be a number of milliseconds; got ${JSON.stringify(value)}`)
    process.exit(1)
  }
  return ms
}

/** The demo: one signed conversation posted to this server, shuffled and with a re-delivery, then its row printed. */
async function runDemo(url: string, secret: string, sql: Sql, settleMs: number): Promise<void> {
  const id = `demo-${Date.now().toString(36)}`
  const agent = { id: '11', name: 'Petra' }
  const events = webhookConversation({ id, startAt: Date.now() - 60_000 })
    .opened()
    .contactReplied('Hello, is size M in stock?')
    .agentJoined(agent)
    .agentReplied(agent, 'Hi, yes: size M is in stock.')
    .contactReplied('Great, thanks!')
    .agentReplied(agent, 'You are welcome!')
    .rated(5, 'Quick and helpful')
    .closed({ by: agent })
    .build()
  // Smartsupp may deliver out of order and more than once: the closing event first, one twice.
  const deliveries = [events[events.length - 1], ...events.slice(0, -1).reverse(), events[1]]
  for (const event of deliveries) {
    const body = JSON.stringify(event)
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, secret),
      },
      body,
    })
    await response.arrayBuffer()
    console.log(`demo: posted ${(event as { event: string }).event} → ${response.status}`)
  }
  console.log(
    `demo: conversation ${id} is closed; it is exported once nothing arrived for it for ${settleMs} ms`,
  )
  const deadline = Date.now() + settleMs + 60_000
  while (Date.now() < deadline) {
    const [row] = await sql.query<Record<string, unknown>>(
      'SELECT * FROM finished_conversations WHERE conversation_id = $1',
      [id],
    )
    if (row !== undefined) {
      const { transcript: text, ...fields } = row
      console.log('demo: the row in finished_conversations:')
      console.log(fields)
      console.log(`demo: its transcript:\n${String(text)}`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  console.error(`demo: conversation ${id} was not written within ${settleMs + 60_000} ms`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = process.argv.includes('--demo') || process.env.SMARTSUPP_DEMO === '1'
  let secret = process.env.SMARTSUPP_WEBHOOK_SECRET
  if (!secret && demo) {
    secret = randomBytes(24).toString('hex')
    console.log('demo: SMARTSUPP_WEBHOOK_SECRET is not set; using a random secret for this run')
  }
  if (!secret) {
    console.error(
      "SMARTSUPP_WEBHOOK_SECRET is not set: set it to the webhook app's secret (the one Smartsupp signs X-Smartsupp-Hmac with): SMARTSUPP_WEBHOOK_SECRET=<secret> npm run example:webhooks-postgres (or try it with: npm run example:webhooks-postgres -- --demo)",
    )
    process.exit(1)
  }
  // The demo settles quickly so its row shows in seconds; a real receiver keeps the defaults.
  const settleMs = msFromEnv('SMARTSUPP_SETTLE_MS', demo ? 1000 : undefined)
  const sweepIntervalMs = msFromEnv('SMARTSUPP_SWEEP_INTERVAL_MS', demo ? 250 : undefined)
  const quietMs = msFromEnv('SMARTSUPP_QUIET_MS')
  const database = await openExampleDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.SMARTSUPP_EVENTS_DIR || './.smartsupp-events',
  })
  await database.store.migrate()
  await createFinishedConversationsTable(database.sql)
  const app = createWebhooksPostgresApp({
    secret,
    database,
    appId: process.env.SMARTSUPP_APP_ID || undefined,
    settleMs,
    quietMs,
    sweepIntervalMs,
  })
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const url = `http://127.0.0.1:${port}/webhooks/smartsupp`
    console.log(`events and finished_conversations in ${database.description}`)
    console.log(`listening on ${url}`)
    if (demo) {
      runDemo(url, secret, database.sql, settleMs ?? 30_000).catch((error: unknown) =>
        console.error('demo: failed', error),
      )
    }
  })
  // On SIGTERM or Ctrl+C: stop accepting, let deliveries in flight finish, close the store (and
  // the pool), then end as the signal would.
  closeOnSignals(database.store, { server, onClosed: database.close })
}
