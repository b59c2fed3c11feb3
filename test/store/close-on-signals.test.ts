// A PGlite receiver process stopped as a service manager or a terminal stops it (SIGTERM, SIGINT),
// or killed (SIGKILL), while deliveries are in flight: every delivery it answered 200 is in the
// store, and `smartsupp-hook store list` opens its directory at once, without --force. While the
// receiver lives, store list refuses and names it. Two receivers on one directory: the second
// refuses to store (answers 500, so Smartsupp re-delivers) until the first stops, then takes over;
// nothing acknowledged by either is lost.
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseWebhookEventOrThrow, signWebhookBody, webhookEventKey } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { WEBHOOK_SIGNATURE_HEADER } from '../../src/receive/verify-webhook-signature.js'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { runCli } from '../cli/cli-process.js'

const SECRET = 'close-on-signals-secret-0123'
const root = mkdtempSync(join(tmpdir(), 'smartsupp-signals-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

interface Delivery {
  readonly body: string
  readonly signature: string
  readonly key: string
  readonly conversationId: string
}

interface Message {
  readonly type: string
  readonly port?: number
  readonly locked?: string | null
  readonly error?: string
}

interface Receiver {
  readonly child: ChildProcess
  readonly port: number
  readonly locked: string | null
  readonly messages: Message[]
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const started: ChildProcess[] = []
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

function startReceiver(dataDir: string, env: Record<string, string> = {}): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL('./support/pglite-receiver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DATA_DIR: dataDir, SECRET, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  started.push(child)
  const messages: Message[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const early = () => reject(new Error('the receiver exited before it was ready'))
    child.once('exit', early)
    child.on('message', (m: Message) => {
      messages.push(m)
      if (m.type === 'ready') {
        child.off('exit', early)
        resolve({ child, port: m.port ?? 0, locked: m.locked ?? null, messages, exited })
      }
    })
  })
}

async function deliveries(tag: string, conversations: number): Promise<Delivery[]> {
  const all: Delivery[] = []
  for (let n = 0; n < conversations; n++) {
    const conversationId = `${tag}-${n}`
    const events = webhookConversation({ id: conversationId, startAt: Date.UTC(2026, 4, 1, 8) + n * 60_000 })
      .opened()
      .contactReplied(`Dobrý den ${n}`)
      .agentReplied({ id: '9', name: 'Eva' }, 'Hned to zjistím')
      .contactReplied('Díky')
      .closed({ by: '9' })
      .build()
    for (const event of events) {
      const body = JSON.stringify(event)
      const key = webhookEventKey(parseWebhookEventOrThrow(new TextEncoder().encode(body)))
      all.push({ body, signature: await signWebhookBody(body, SECRET), key, conversationId })
    }
  }
  return all
}

/** One POST; the status, or `null` when the connection failed or was cut. */
async function post(port: number, d: Delivery): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: d.signature },
      body: d.body,
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return null
  }
}

/** The keys stored for the conversations, read in this process (the directory must be free). */
async function storedKeys(dataDir: string, ids: Iterable<string>): Promise<Set<string>> {
  const store = pgliteEventStore({ dataDir })
  try {
    const keys = new Set<string>()
    for (const id of ids) for (const e of await store.events(id)) keys.add(e.key)
    return keys
  } finally {
    await store.close()
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const stops: { readonly signal: NodeJS.Signals; readonly closeOnSignals: boolean }[] = [
  { signal: 'SIGTERM', closeOnSignals: true },
  { signal: 'SIGINT', closeOnSignals: true },
  { signal: 'SIGKILL', closeOnSignals: true },
  { signal: 'SIGTERM', closeOnSignals: false },
]

describe('a PGlite receiver process stopped while deliveries are in flight', { timeout: 180_000 }, () => {
  for (const { signal, closeOnSignals } of stops) {
    it(`${signal}${closeOnSignals ? ' with closeOnSignals' : ', no shutdown code'}: it ends by the signal; store list opens the directory without --force; every delivery answered 200 is stored`, async () => {
      const dataDir = join(root, `${signal}-${closeOnSignals}`)
      const receiver = await startReceiver(dataDir, closeOnSignals ? {} : { CLOSE_ON_SIGNALS: '0' })
      expect(receiver.locked).toBeNull()

      // While it runs, the CLI refuses its directory and names it.
      const refused = await runCli(['store', 'list', '--store', dataDir])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toMatch(
        new RegExp(
          `^smartsupp-hook: the PGlite directory ${escapeRegExp(dataDir)} is in use by another process \\(pid ${receiver.child.pid}, node pglite-receiver\\.ts, since \\S+\\); an embedded store serves one process at a time: stop that process first`,
        ),
      )

      const all = await deliveries(`sig-${signal.toLowerCase()}`, 8)
      const answered = new Set<Delivery>()
      let signalled = false
      await Promise.all(
        all.map(async (d, i) => {
          // A stream of deliveries, 20 at a time; the signal comes once 10 were answered.
          await new Promise((r) => setTimeout(r, Math.floor(i / 20) * 20))
          const status = await post(receiver.port, d)
          if (status === 200) answered.add(d)
          if (answered.size >= 10 && !signalled) {
            signalled = true
            receiver.child.kill(signal)
          }
        }),
      )
      if (!signalled) receiver.child.kill(signal)
      const exit = await receiver.exited
      // closeOnSignals re-raises the signal: the process ends as the signal would have ended it.
      expect(exit).toEqual({ code: null, signal })
      expect(answered.size).toBeGreaterThanOrEqual(10)
      expect(receiver.messages.filter((m) => m.type === 'error')).toEqual([])

      const list = await runCli(['store', 'list', '--store', dataDir])
      expect(list.code, list.stderr).toBe(0)
      expect(list.stderr).toBe('')
      const ids = new Set([...answered].map((d) => d.conversationId))
      for (const id of ids) expect(list.stdout).toContain(`${id} `)

      const stored = await storedKeys(dataDir, new Set(all.map((d) => d.conversationId)))
      for (const d of answered) expect(stored.has(d.key), `acknowledged ${d.key} was lost`).toBe(true)
    })
  }
})

describe('two receiver processes on one PGlite directory', { timeout: 180_000 }, () => {
  it('the second refuses (500, naming the first) while the first lives, takes over once it stopped; nothing acknowledged is lost', async () => {
    const dataDir = join(root, 'two-openers')
    const first = await startReceiver(dataDir)
    const second = await startReceiver(dataDir)
    expect(first.locked).toBeNull()
    expect(second.locked).toMatch(
      new RegExp(
        `^DirectoryLockedError: the PGlite directory ${escapeRegExp(dataDir)} is in use by another process \\(pid ${first.child.pid}, node pglite-receiver\\.ts, since \\S+\\); stop it first`,
      ),
    )

    const all = await deliveries('two', 6)
    const acknowledged = new Set<Delivery>()
    const refused: Delivery[] = []
    // Alternately to each, as a load balancer would.
    for (const [i, d] of all.entries()) {
      const to = i % 2 === 0 ? first : second
      const status = await post(to.port, d)
      if (status === 200) acknowledged.add(d)
      else refused.push(d)
      expect(status, `${d.key} to the ${to === first ? 'first' : 'second'}`).toBe(to === first ? 200 : 500)
    }
    expect(second.messages.filter((m) => m.type === 'error').length).toBe(refused.length)
    expect(second.messages.find((m) => m.type === 'error')?.error).toContain(`(pid ${first.child.pid}, `)

    first.child.kill('SIGTERM')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGTERM' })
    // Smartsupp re-delivers what was not answered 200: now the second stores it.
    for (const d of refused) {
      expect(await post(second.port, d)).toBe(200)
      acknowledged.add(d)
    }
    second.child.kill('SIGINT')
    expect(await second.exited).toEqual({ code: null, signal: 'SIGINT' })

    const stored = await storedKeys(dataDir, new Set(all.map((d) => d.conversationId)))
    expect(acknowledged.size).toBe(all.length)
    for (const d of all) expect(stored.has(d.key), `acknowledged ${d.key} was lost`).toBe(true)
    expect(stored.size).toBe(all.length)
  })
})
