// A child process for the multi-process claim test: CLAIMERS concurrent claimers (each its own
// owner id, each on its own connection) claim closed conversations one at a time until none is
// left, and print one `claim <conversationId> <owner> <attempt>` line per claim. They start
// together when the parent writes a line to stdin, after every child printed `ready`.
import { createInterface } from 'node:readline'
import pg from 'pg'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'

const claimers = Number(process.env.CLAIMERS)
const pool = new pg.Pool({ connectionString: process.env.URL as string, max: claimers })
const store = postgresEventStore({ pool, tablePrefix: process.env.PREFIX as string })
await store.migrate()
// Open every connection now, so the start is not spread out by connecting.
const connections = await Promise.all(Array.from({ length: claimers }, () => pool.connect()))
for (const c of connections) c.release()
process.stdout.write('ready\n')
const input = createInterface({ input: process.stdin })
await new Promise<void>((resolve) => input.once('line', () => resolve()))
input.close()

const lines: string[] = []
await Promise.all(
  Array.from({ length: claimers }, async (_, n) => {
    const owner = `p${process.pid}-c${n}`
    for (;;) {
      const claims = await store.claimFinished({ owner, leaseMs: 600_000, quietMs: null, limit: 1 })
      if (claims.length === 0) return
      for (const c of claims) lines.push(`claim ${c.conversationId} ${c.owner} ${c.attempt}`)
    }
  }),
)
process.stdout.write(`${lines.join('\n')}\ndone\n`)
await store.close()
await pool.end()
