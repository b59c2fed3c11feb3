// End to end over real HTTP (issue 12, Tests): two receiver processes share one PostgreSQL;
// 100 conversations × 20 signed events are delivered concurrently, shuffled and partly
// duplicated, each to either process, re-sent on any non-200 as Smartsupp does. Exactly one
// onConversationFinished call per conversation must come out, with the whole transcript.
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleConversation } from '../../src/assemble/assemble-conversation.js'
import { decodeWebhookEvent } from '../../src/decode/webhook/decode-webhook-event.js'
import { transcript } from '../../src/helpers/transcript.js'
import type { WebhookEvent } from '../../src/model/webhook-event.js'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/receive/verify-webhook-signature.js'
import { seededRandom as random } from '../support/seeded-random.js'
import { scaleConversationEvents } from './support/scale-conversation.js'

const url = process.env.SMARTSUPP_TEST_POSTGRES_URL
const SECRET = 'e2e-webhook-secret-0123'
const CONVERSATIONS = 100
const EVENTS_PER_CONVERSATION = 20
const CONCURRENCY = 200
const SETTLE_MS = 4000

interface Finished {
  readonly type: 'finished'
  readonly pid: number
  readonly id: string
  readonly attempt: number
  readonly messageCount: number
  readonly transcript: string
}

/** The 20 events of conversation `n`. */
function conversationEvents(n: number): unknown[] {
  const events = scaleConversationEvents(`e2e-conv-${String(n).padStart(3, '0')}`, n)
  expect(events).toHaveLength(EVENTS_PER_CONVERSATION)
  return events
}

function expectedTranscript(events: readonly unknown[]): string {
  const decoded: WebhookEvent[] = events.map((e) => {
    const d = decodeWebhookEvent(e, { mode: 'strict' })
    if (d._tag === 'Left') throw new Error(d.left.message)
    return d.right
  })
  const assembled = assembleConversation(decoded)
  if (assembled._tag === 'Left') throw new Error(assembled.left.message)
  return transcript(assembled.right, { format: 'text' })
}

function startReceiver(
  tablePrefix: string,
  messages: (m: { type: string }) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./support/receiver-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      RECEIVER_SECRET: SECRET,
      RECEIVER_TABLE_PREFIX: tablePrefix,
      RECEIVER_SETTLE_MS: String(SETTLE_MS),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code} before it was ready`)))
    child.on('message', (m: { type: string; port?: number }) => {
      if (m.type === 'ready') resolve({ child, port: m.port ?? 0 })
      else messages(m)
    })
  })
}

/** POSTs one signed body; any answer but 200 is re-sent (as Smartsupp does), up to 20 times. */
async function deliver(port: number, body: string, signature: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signature },
        body,
      })
      await res.arrayBuffer()
      if (res.status === 200) return attempt
    } catch {
      // a refused or reset connection is re-delivered too
    }
    if (attempt >= 20) throw new Error('a delivery was never answered 200')
    await new Promise((r) => setTimeout(r, 50 * attempt))
  }
}

describe.skipIf(url === undefined && !process.env.CI)('two receiver processes on one PostgreSQL', () => {
  const receivers: ChildProcess[] = []
  const finished: Finished[] = []
  const errors: unknown[] = []
  let ports: number[] = []
  const tablePrefix = `e2e_${process.pid}_`

  beforeAll(async () => {
    expect(url, 'SMARTSUPP_TEST_POSTGRES_URL must be set in CI (.ci/run starts PostgreSQL)').toBeDefined()
    const onMessage = (m: { type: string }) => {
      if (m.type === 'finished') finished.push(m as Finished)
      else errors.push(m)
    }
    // One migrates first so the two do not race on a fresh schema (the store also copes with that).
    const first = await startReceiver(tablePrefix, onMessage)
    const second = await startReceiver(tablePrefix, onMessage)
    receivers.push(first.child, second.child)
    ports = [first.port, second.port]
  }, 60_000)

  afterAll(async () => {
    for (const child of receivers) {
      child.send({ type: 'stop' })
    }
    await Promise.all(
      receivers.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve()
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
            child.once('exit', () => {
              clearTimeout(kill)
              resolve()
            })
          }),
      ),
    )
  })

  it('calls onConversationFinished exactly once per conversation, with the whole transcript', async () => {
    const rand = random(20261129)
    const expected = new Map<string, string>()
    const deliveries: { body: string; signature: string }[] = []
    for (let n = 0; n < CONVERSATIONS; n++) {
      const events = conversationEvents(n)
      expected.set(`e2e-conv-${String(n).padStart(3, '0')}`, expectedTranscript(events))
      for (const event of events) {
        const body = JSON.stringify(event)
        const signed = { body, signature: await signWebhookBody(body, SECRET) }
        deliveries.push(signed)
        if (rand() < 0.15) deliveries.push(signed) // a re-delivery of the same bytes
      }
    }
    // Fisher–Yates with the seeded generator: closing events often arrive before other events.
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[deliveries[i], deliveries[j]] = [
        deliveries[j] as (typeof deliveries)[number],
        deliveries[i] as (typeof deliveries)[number],
      ]
    }

    let next = 0
    const worker = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++] as (typeof deliveries)[number]
        await deliver(ports[Math.floor(rand() * ports.length)] as number, d.body, d.signature)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))

    // Every conversation settles SETTLE_MS after its last event; the sweeps export it then.
    const deadline = Date.now() + SETTLE_MS + 30_000
    while (finished.length < CONVERSATIONS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100))
    // Wait several sweeps longer, so that a second, wrong call would show.
    await new Promise((r) => setTimeout(r, 1500))

    expect(errors).toEqual([])
    expect(finished).toHaveLength(CONVERSATIONS)
    expect(new Set(finished.map((f) => f.id)).size).toBe(CONVERSATIONS)
    for (const f of finished) {
      expect(f.transcript, f.id).toBe(expected.get(f.id))
      expect(f.attempt).toBe(1)
    }
    // Both processes took part in the exports.
    expect(new Set(finished.map((f) => f.pid)).size).toBe(2)
  }, 120_000)
})
