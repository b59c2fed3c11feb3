// `inspect --store postgres://…` against a real PostgreSQL server (SMARTSUPP_TEST_POSTGRES_URL;
// skipped without one outside CI, failing in CI): authentic events go into that store; its
// conversations are left to the receivers to export unless --export says otherwise.
import pg from 'pg'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, describe, expect, it } from 'vitest'
import type { ConversationDetail, InspectSession } from '../../../src/cli/inspect/inspect-api-types.js'
import { postgresEventStore } from '../../../src/store/postgres-event-store.js'
import { dropTables } from '../../store/support/drop-tables.js'
import {
  postgresUrl,
  requirePostgresUrl,
  skipPostgres,
  uniquePrefix,
} from '../../store/support/postgres-url.js'
import { eventually, startInspect } from './inspect-process.js'

async function post(url: string, body: string, secret: string) {
  const headers = {
    'content-type': 'application/json',
    [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, secret),
  }
  return (await fetch(url, { method: 'POST', body, headers })).status
}

describe.skipIf(skipPostgres)('smartsupp-hook inspect on a PostgreSQL store', { timeout: 120_000 }, () => {
  const prefixes: string[] = []
  afterAll(async () => {
    if (postgresUrl === undefined) return
    const pool = new pg.Pool({ connectionString: postgresUrl })
    for (const prefix of prefixes)
      await dropTables({ query: async (sql) => (await pool.query(sql)).rows }, prefix)
    await pool.end()
  })

  it('stores authentic events there and leaves the export to the receivers; with --export it exports them itself', async () => {
    const url = requirePostgresUrl()
    const events = webhookConversation({ id: 'conv-pg' }).opened().contactReplied('Hi').closed().build()
    for (const exportHere of [false, true]) {
      const prefix = uniquePrefix('inspect')
      prefixes.push(prefix)
      const args = ['--secret', 's', '--store', url, '--table-prefix', prefix, '--settle-ms', '200']
      const r = await startInspect(exportHere ? [...args, '--export'] : args)
      try {
        expect(r.output()).toContain(url.replace(/:[^:@/]*@/, ':***@'))
        const session = (await (await fetch(`${r.base}/api/session`)).json()) as InspectSession
        expect(session.exports).toBe(exportHere)
        for (const e of events)
          expect(await post(`${r.base}/webhooks/smartsupp`, JSON.stringify(e), 's')).toBe(200)
        expect(await post(`${r.base}/webhooks/smartsupp`, JSON.stringify(events[1]), 'forged')).toBe(401)
        // The events are in the server's tables, as a receiver of that store would have put them.
        const store = postgresEventStore({ connectionString: url, tablePrefix: prefix })
        try {
          expect((await store.events('conv-pg')).map((e) => e.event)).toEqual([
            'conversation.opened',
            'conversation.contact_replied',
            'conversation.closed',
          ])
        } finally {
          await store.close()
        }
        const detail = async () =>
          (await (await fetch(`${r.base}/api/conversations/webhooks/conv-pg`)).json()) as ConversationDetail
        if (exportHere) {
          const exported = await eventually(async () => {
            const d = await detail()
            return d.state === 'exported' ? d : undefined
          })
          expect(exported.exports).toHaveLength(1)
        } else {
          // Well past the settle period and several sweeps: still pending, for the receivers to export.
          await new Promise((resolve) => setTimeout(resolve, 3000))
          const d = await detail()
          expect(d.state).toBe('pending')
          expect(d.dueAt).toBeNull()
          expect(d.exports).toEqual([])
        }
      } finally {
        expect(await r.stop()).toBe(0)
      }
    }
  })
})

if (skipPostgres && postgresUrl === undefined) {
  describe('smartsupp-hook inspect on PostgreSQL', () => {
    it.skip('needs SMARTSUPP_TEST_POSTGRES_URL', () => undefined)
  })
}
