// The fault suite's fleet of receiver processes (fleet-receiver.ts): started with fork and IPC,
// each a real node:http server on its own port; the deliverer asks `live()` which URLs to try, the
// test kills, stops or signals them, and reads what they recorded.
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StoredConversation } from '../../../../src/store/event-store.js'
import type { ExportRecord, ReceiverConfig } from './fleet-config.js'

/** One receiver process. */
export interface FleetReceiver {
  readonly name: string
  readonly child: ChildProcess
  readonly pid: number
  readonly url: string
  /** Set when another process held its PGlite directory at start. */
  readonly locked: string | null
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Still running (not exited, not killed by the test). */
  alive(): boolean
  /** The store's conversations, as this process reads them. */
  state(): Promise<readonly StoredConversation[]>
}

/** Receivers of one scenario, the directory they record to, and the pids the test killed. */
export interface Fleet {
  readonly recordDir: string
  readonly receivers: FleetReceiver[]
  /** Pids that ended by SIGKILL, the test's or their own (their half-done exports are the documented exception). */
  readonly killed: Set<number>
  start(config: Omit<ReceiverConfig, 'recordDir'>): Promise<FleetReceiver>
  /** URLs of the receivers alive now: where the deliverer sends. */
  live(): string[]
  kill(receiver: FleetReceiver): Promise<void>
  /** Sends a signal and waits for the exit (closeOnSignals re-raises it). */
  signal(
    receiver: FleetReceiver,
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Stops every live receiver cleanly (IPC `stop`: server closed, store closed). */
  stopAll(): Promise<void>
  records(): ExportRecord[]
  /** Kills what is left and removes the record directory. */
  dispose(): Promise<void>
}

const script = fileURLToPath(new URL('./fleet-receiver.ts', import.meta.url))

export function startFleet(tag: string): Fleet {
  const recordDir = mkdtempSync(join(tmpdir(), `smartsupp-faults-${tag}-`))
  const receivers: FleetReceiver[] = []
  const killed = new Set<number>()
  const ended = new Set<FleetReceiver>()

  const start = (partial: Omit<ReceiverConfig, 'recordDir'>): Promise<FleetReceiver> => {
    const config: ReceiverConfig = { ...partial, recordDir }
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FLEET_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    )
    let nextId = 0
    const waiting = new Map<number, (m: { conversations?: StoredConversation[]; error?: string }) => void>()
    return new Promise((resolve, reject) => {
      const early = () => reject(new Error(`receiver ${config.name} exited before it was ready`))
      child.once('exit', early)
      child.on(
        'message',
        (m: {
          type: string
          id?: number
          port?: number
          locked?: string | null
          conversations?: StoredConversation[]
          error?: string
        }) => {
          if (m.type === 'state') {
            waiting.get(m.id ?? -1)?.(m)
            waiting.delete(m.id ?? -1)
            return
          }
          if (m.type !== 'ready') return
          child.off('exit', early)
          const receiver: FleetReceiver = {
            name: config.name,
            child,
            pid: child.pid ?? 0,
            url: `http://127.0.0.1:${m.port}/`,
            locked: m.locked ?? null,
            exited,
            alive: () => !ended.has(receiver) && child.exitCode === null && child.signalCode === null,
            state: () =>
              new Promise((resolveState, rejectState) => {
                const id = nextId++
                waiting.set(id, (answer) => {
                  if (answer.error !== undefined) rejectState(new Error(answer.error))
                  else resolveState(answer.conversations ?? [])
                })
                child.send({ type: 'state', id })
              }),
          }
          void exited.then(({ signal }) => {
            ended.add(receiver)
            if (signal === 'SIGKILL') killed.add(receiver.pid)
            for (const w of waiting.values()) w({ error: `receiver ${config.name} exited` })
            waiting.clear()
          })
          receivers.push(receiver)
          resolve(receiver)
        },
      )
    })
  }

  return {
    recordDir,
    receivers,
    killed,
    start,
    live: () => receivers.filter((r) => r.alive()).map((r) => r.url),
    async kill(receiver) {
      ended.add(receiver)
      killed.add(receiver.pid)
      receiver.child.kill('SIGKILL')
      await receiver.exited
    },
    async signal(receiver, signal) {
      ended.add(receiver)
      receiver.child.kill(signal)
      return receiver.exited
    },
    async stopAll() {
      await Promise.all(
        receivers
          .filter((r) => r.alive())
          .map(async (r) => {
            ended.add(r)
            r.child.send({ type: 'stop' })
            await r.exited
          }),
      )
    },
    records() {
      const all: ExportRecord[] = []
      for (const name of readdirSync(recordDir)) {
        for (const line of readFileSync(join(recordDir, name), 'utf8').split('\n')) {
          // A process killed mid-write may leave a partial last line: it recorded nothing whole.
          if (line === '') continue
          try {
            all.push(JSON.parse(line) as ExportRecord)
          } catch {
            // ignored, as above
          }
        }
      }
      return all.sort((a, b) => a.at - b.at)
    },
    async dispose() {
      for (const r of receivers)
        if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL')
      await Promise.all(receivers.map((r) => r.exited))
      rmSync(recordDir, { recursive: true, force: true })
    },
  }
}
