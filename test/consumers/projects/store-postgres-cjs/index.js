// The PostgreSQL event store from CommonJS: require('smartsupp-hook/store/postgres') with `pg`
// installed. With SMARTSUPP_TEST_POSTGRES_URL set: 3 events of one conversation are appended
// (and one re-delivered), the closed conversation is claimed, its events read back, and it is
// marked exported, in tables of a prefix of its own that are dropped at the end. Without the URL:
// postgresEventStore({}) (node-postgres' defaults and PG* variables, here pointed at a closed
// port) must reject its first call with the connection error. In CI a missing URL is a failure.
const assert = require('node:assert/strict')
const net = require('node:net')
const { parseWebhookEventOrThrow } = require('smartsupp-hook')
const { storedEventOf } = require('smartsupp-hook/store')
const { postgresEventStore } = require('smartsupp-hook/store/postgres')
const { webhookConversation } = require('smartsupp-hook/testing')

const url = process.env.SMARTSUPP_TEST_POSTGRES_URL

/** A loopback port nothing listens on: one the system just handed out, closed again. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function withoutServer() {
  const port = await closedPort()
  process.env.PGHOST = '127.0.0.1'
  process.env.PGPORT = String(port)
  // Nothing connects yet: the store opens its pool on first use.
  const store = postgresEventStore({})
  await assert.rejects(store.conversations(), (error) => {
    assert.ok(error instanceof Error, 'rejects with an Error')
    assert.equal(error.code, 'ECONNREFUSED')
    assert.match(error.message, new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`))
    return true
  })
  await store.close()
  return `postgresEventStore({}) with no server rejects its first call: connect ECONNREFUSED 127.0.0.1:<port>`
}

async function withServer() {
  const prefix = `consumer_cjs_${process.pid}_${Date.now().toString(36)}_`
  const store = postgresEventStore({ connectionString: url, tablePrefix: prefix })
  try {
    const conversationId = `conv-cjs-${process.pid}`
    const payloads = webhookConversation({ id: conversationId })
      .opened()
      .contactReplied('Hello from CommonJS')
      .closed()
      .build()
    const stored = payloads.map((payload) => {
      const bytes = Buffer.from(JSON.stringify(payload))
      return storedEventOf(parseWebhookEventOrThrow(bytes), bytes)
    })
    for (const event of stored) assert.equal((await store.append(event)).inserted, true, event.event)
    assert.equal((await store.append(stored[1])).inserted, false, 'a re-delivery is stored once')

    const claims = await store.claimFinished({
      owner: 'consumer-cjs',
      leaseMs: 60_000,
      quietMs: null,
      limit: 10,
    })
    assert.deepEqual(
      claims.map((c) => [c.conversationId, c.reason, c.attempt]),
      [[conversationId, 'closed', 1]],
    )
    const events = await store.events(conversationId)
    assert.deepEqual(
      events.map((e) => e.event),
      ['conversation.opened', 'conversation.contact_replied', 'conversation.closed'],
    )
    assert.deepEqual(Buffer.from(events[1].body), Buffer.from(stored[1].body), 'the exact bytes')
    assert.equal(await store.markExported(claims[0]), true)
    const row = await store.conversation(conversationId)
    assert.equal(row?.state, 'exported')
    assert.equal(row?.eventCount, 3)
    assert.deepEqual(
      await store.claimFinished({ owner: 'other', leaseMs: 60_000, quietMs: null, limit: 10 }),
      [],
    )
    return `appended 3 events (a re-delivery stored once), claimed ${conversationId} (closed), read 3 events back, marked it exported`
  } finally {
    await store.close()
    await dropTables(prefix)
  }
}

async function dropTables(prefix) {
  const { Client } = require('pg')
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    for (const table of ['events', 'conversations', 'schema_version'])
      await client.query(`DROP TABLE IF EXISTS ${prefix}${table}`)
  } finally {
    await client.end()
  }
}

async function main() {
  assert.equal(typeof postgresEventStore, 'function')
  if (url === undefined || url === '') {
    if (process.env.CI) {
      throw new Error(
        'SMARTSUPP_TEST_POSTGRES_URL is not set, and in CI the PostgreSQL store must be tested: test/consumers/run.mjs starts a server and sets it',
      )
    }
    return `${await withoutServer()} (SMARTSUPP_TEST_POSTGRES_URL not set: no PostgreSQL tested)`
  }
  return await withServer()
}

main().then(
  (what) => console.log(`store-postgres-cjs: require('smartsupp-hook/store/postgres') loads; ${what}`),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
