// Forged bodies through listen → replay: `listen --secret` captures a conversation's signed events
// beside forged ones (unsigned, signed with another secret, a genuine signature over tampered
// bytes), some of them in that genuine conversation; `replay --secret` then re-delivers the
// captures to receiver processes on a store. Only what listen verified is signed and sent: no
// forged event reaches onEvent or the store, and the genuine conversation is exported whole, with
// nothing forged in it, once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../../src/receive/verify-webhook-signature.js'
import { runCli, startListener } from '../../cli/cli-process.js'
import { requirePostgresUrl, skipPostgres } from '../support/postgres-url.js'
import type { DeliveryLog } from './support/deliverer.js'
import { type Delivery, FAULTS_SECRET, faultLoad } from './support/fault-conversations.js'
import { faultTarget, type StoreKind } from './support/fault-target.js'
import { checkFaultOutcome } from './support/fault-verdict.js'
import { startFleet } from './support/fleet.js'

const FORGED = 'FORGED: refund order 1234'

/** A genuine body with its message's text (and id) changed: what a forger would send. */
function tampered(body: string, text: string, messageId: string, conversationId?: string): string {
  const event = JSON.parse(body) as {
    data: { conversation: { id: string }; message: { id: string; content: string; conversation_id: string } }
  }
  event.data.message.content = text
  event.data.message.id = messageId
  if (conversationId !== undefined) {
    event.data.conversation.id = conversationId
    event.data.message.conversation_id = conversationId
  }
  return JSON.stringify(event)
}

const kinds: StoreKind[] = skipPostgres ? ['pglite'] : ['pglite', 'postgres']

/** Registers this scenario (run by fault-suite.test.ts, concurrently with the others). */
export function forgedCaptures(): void {
  describe.concurrent('forged captures through listen → replay', () => {
    for (const kind of kinds) {
      it(`on ${kind}: no forged body reaches onEvent or the store; the genuine conversation is exported whole, once`, async ({
        onTestFinished,
      }) => {
        const target = faultTarget(
          kind,
          `forged${kind}`,
          kind === 'postgres' ? { url: requirePostgresUrl() } : null,
        )
        onTestFinished(() => target.dispose())
        const fleet = startFleet(`forged-${kind}`)
        onTestFinished(() => fleet.dispose())
        const dir = mkdtempSync(join(tmpdir(), `smartsupp-faults-captures-${kind}-`))
        onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
        const captured = join(dir, 'captured')

        const load = await faultLoad(`genuine-${kind}`, 2)
        const genuine = load.conversations[0]?.id as string
        const reply = load.deliveries.find(
          (d) => d.conversationId === genuine && d.body.includes('"conversation.contact_replied"'),
        )
        if (reply === undefined) throw new Error('no reply to forge from')
        // Forged: into the genuine conversation unsigned, signed with another secret, and a genuine
        // signature over tampered bytes; and a whole conversation of its own, unsigned.
        const forged = [
          { body: tampered(reply.body, `${FORGED} (unsigned)`, 'forged-1'), signature: null },
          {
            body: tampered(reply.body, `${FORGED} (another secret)`, 'forged-2'),
            signature: await signWebhookBody(
              tampered(reply.body, `${FORGED} (another secret)`, 'forged-2'),
              'an-attacker-guess-0123456789',
            ),
          },
          { body: tampered(reply.body, `${FORGED} (tampered)`, 'forged-3'), signature: reply.signature },
          {
            body: tampered(reply.body, `${FORGED} (own conversation)`, 'forged-4', 'forged-conversation'),
            signature: null,
          },
        ]

        // 1. listen --secret captures everything, in order: genuine and forged interleaved.
        const listener = await startListener(['--out', captured, '--secret', FAULTS_SECRET])
        const url = `http://127.0.0.1:${listener.port}/`
        const sends: { body: string; signature: string | null }[] = [...load.deliveries]
        for (const [i, f] of forged.entries()) sends.splice(3 + i * 4, 0, f)
        for (const s of sends) {
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(s.signature === null ? {} : { [WEBHOOK_SIGNATURE_HEADER]: s.signature }),
            },
            body: s.body,
          })
          await res.arrayBuffer()
          expect(res.status, s.body.slice(0, 80)).toBe(
            forged.includes(s as (typeof forged)[number]) ? 401 : 200,
          )
        }
        listener.stop()
        expect((await listener.done).code).toBe(0)

        // 2. replay --secret re-delivers the captures to a receiver process on the store.
        await Promise.all(
          (kind === 'postgres' ? ['A', 'B'] : ['A']).map((name) =>
            fleet.start({
              name,
              secret: FAULTS_SECRET,
              store: target.store,
              receive: {
                settleMs: 300,
                quietMs: null,
                leaseMs: 3000,
                exportTimeoutMs: 10_000,
                sweepIntervalMs: 100,
              },
              callback: {},
              recordEvents: true,
            }),
          ),
        )
        const to = fleet.receivers[0]?.url as string
        const replay = await runCli(['replay', captured, '--url', to, '--secret', FAULTS_SECRET])
        // Exit 1: some captures were not sent (the forged ones).
        expect(replay.code, replay.stderr).toBe(1)
        const lines = replay.stdout.trim().split('\n')
        const skipped = lines.filter((l) => l.startsWith('skipped '))
        expect(skipped).toHaveLength(forged.length)
        for (const line of skipped)
          expect(line).toMatch(/^skipped \S+-(unsigned|bad-signature)-webhook-\S+ .*: not signed: /)
        const log: DeliveryLog = { tries: [], acknowledged: new Set() }
        const byBody = new Map<string, Delivery>(load.deliveries.map((d) => [d.body, d]))
        for (const line of lines.filter((l) => l.startsWith('200 '))) {
          const body = readFileSync(join(captured, line.split(' ')[1] as string), 'utf8')
          const delivery = byBody.get(body)
          expect(delivery, `replayed ${line}: not one of the genuine bodies`).toBeDefined()
          if (delivery !== undefined) {
            log.acknowledged.add(delivery)
            log.tries.push({ delivery, url: to, startedAt: 0, answeredAt: 0, status: 200 })
          }
        }
        await target.exported(fleet, load)
        await fleet.stopAll()

        const records = fleet.records()
        // Nothing forged reached onEvent: every event that did is one of the genuine ones.
        const genuineKeys = new Set(load.deliveries.map((d) => d.key))
        expect(records.filter((r) => r.type === 'event' && !genuineKeys.has(r.key ?? ''))).toEqual([])
        expect(records.filter((r) => r.type === 'event')).toHaveLength(load.deliveries.length)
        const store = target.open()
        expect(await store.conversation('forged-conversation')).toBeNull()
        expect(await store.poisoned()).toEqual([])
        // The genuine conversation holds exactly its own events, and its export nothing forged.
        await checkFaultOutcome({
          scenario: `forged captures, ${kind}`,
          load,
          log,
          records,
          killed: fleet.killed,
          store,
        })
        const exportedKeys = records.flatMap((r) => (r.type === 'write' ? (r.keys ?? []) : []))
        expect(exportedKeys.filter((k) => !genuineKeys.has(k))).toEqual([])
      }, 120_000)
    }
  })
}
