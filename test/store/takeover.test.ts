// A surviving process takes over (issue 17.6, and the lease of 17.2 across processes): receiver A
// exports a conversation and hangs in onConversationFinished; receiver B, a separate process on the
// same PostgreSQL that is never delivered anything, must not touch it while A renews its lease, and
// must export it once A is killed with SIGKILL: within the lease and one sweep, with no delivery.
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import {
  assembleConversationOrThrow,
  parseWebhookEventOrThrow,
  signWebhookBody,
  WEBHOOK_SIGNATURE_HEADER,
} from 'smartsupp-hook'
import { afterAll, describe, expect, it } from 'vitest'
import { transcript } from '../../src/helpers/transcript.js'
import { webhookConversation } from '../../src/testing/webhook-conversation-builder.js'
import { dropTables } from './support/drop-tables.js'
import { requirePostgresUrl, skipPostgres, uniquePrefix } from './support/postgres-url.js'

const SECRET = 'takeover-secret-0123456789'
const LEASE_MS = 1000
const SWEEP_MS = 100

interface Message {
  readonly type: string
  readonly port?: number
  readonly id?: string
  readonly revision?: number
  readonly attempt?: number
  readonly owner?: string
  readonly transcript?: string
}

interface Receiver {
  readonly child: ChildProcess
  readonly port: number
  readonly messages: Message[]
  readonly exited: Promise<void>
}

const children: ChildProcess[] = []
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function startReceiver(name: string, prefix: string, hang: boolean): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL('./support/takeover-receiver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      TAKEOVER_NAME: name,
      TAKEOVER_PREFIX: prefix,
      TAKEOVER_SECRET: SECRET,
      TAKEOVER_LEASE_MS: String(LEASE_MS),
      TAKEOVER_SWEEP_MS: String(SWEEP_MS),
      TAKEOVER_HANG: hang ? '1' : '0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.push(child)
  const messages: Message[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const early = () => reject(new Error(`receiver ${name} exited before it was ready`))
    child.once('exit', early)
    child.on('message', (m: Message) => {
      messages.push(m)
      if (m.type === 'ready') {
        child.off('exit', early)
        resolve({ child, port: m.port ?? 0, messages, exited })
      }
    })
  })
}

async function waitFor(receiver: Receiver, what: string, test: (m: Message) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms
  while (!receiver.messages.some(test)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(receiver.messages)}`)
    await sleep(20)
  }
}

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe.skipIf(skipPostgres)('a receiver process killed mid-export (PostgreSQL)', () => {
  const prefix = uniquePrefix('take')
  afterAll(async () => {
    const admin = new pg.Pool({ connectionString: requirePostgresUrl(), max: 1 })
    await dropTables(admin, prefix)
    await admin.end()
  })

  it('another live process, never delivered anything, leaves it alone while the lease is renewed, then exports it', async () => {
    requirePostgresUrl()
    const a = await startReceiver('A', prefix, true)
    const bodies = webhookConversation({ id: 'taken-over' })
      .opened()
      .contactReplied('Dobrý den')
      .agentReplied({ id: '3', name: 'Eva' }, 'Dobrý den, jak pomohu?')
      .closed({ by: '3' })
      .build()
      .map((event) => JSON.stringify(event))
    for (const body of bodies) {
      const res = await fetch(`http://127.0.0.1:${a.port}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(body, SECRET),
        },
        body,
      })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    await waitFor(a, 'A started the export', (m) => m.type === 'started')
    expect(a.messages.find((m) => m.type === 'started')).toMatchObject({
      id: 'taken-over',
      revision: 1,
      attempt: 1,
    })

    // B runs beside A for three leases: A renews its claim, so B never gets the conversation.
    const b = await startReceiver('B', prefix, false)
    await sleep(LEASE_MS * 3)
    expect(b.messages.filter((m) => m.type !== 'ready')).toEqual([])

    a.child.kill('SIGKILL')
    await a.exited
    expect(a.child.signalCode).toBe('SIGKILL')
    // No delivery to B: its sweep, running since it was created, takes the conversation over once
    // A's lease ran out (the lease plus one sweep; the deadline here is generous for a busy machine).
    await waitFor(b, 'B exported the conversation', (m) => m.type === 'finished')
    const expected = transcript(
      assembleConversationOrThrow(
        bodies.map((body) => parseWebhookEventOrThrow(new TextEncoder().encode(body))),
      ),
      { format: 'text' },
    )
    expect(b.messages.filter((m) => m.type === 'started' || m.type === 'finished')).toEqual([
      expect.objectContaining({ type: 'started', id: 'taken-over', revision: 1, attempt: 2 }),
      expect.objectContaining({
        type: 'finished',
        id: 'taken-over',
        revision: 1,
        attempt: 2,
        transcript: expected,
      }),
    ])
    b.child.send({ type: 'stop' })
    await b.exited
    expect(b.messages.filter((m) => m.type === 'error' || m.type === 'exportError')).toEqual([])
  }, 90_000)
})
