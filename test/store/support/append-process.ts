// A child process for the crash tests: appends crashEvent(0 … count-1) with `concurrency` appends
// in flight and prints `ack <i>` once each append resolved (the moment a receiver would answer
// 200). The parent kills it with SIGKILL mid-stream. Store from env: STORE=postgres (URL, PREFIX)
// or STORE=pglite (DATA_DIR).
import type { EventStore } from '../../../src/store/event-store.js'
import { crashEvent } from './crash-events.js'

const env = process.env
async function openStore(): Promise<EventStore> {
  if (env.STORE === 'pglite') {
    const { pgliteEventStore } = await import('../../../src/store/pglite-event-store.js')
    return pgliteEventStore({ dataDir: env.DATA_DIR as string })
  }
  const { postgresEventStore } = await import('../../../src/store/postgres-event-store.js')
  return postgresEventStore({ connectionString: env.URL as string, tablePrefix: env.PREFIX as string })
}

const store = await openStore()
await store.migrate()
process.stdout.write('ready\n')
const count = Number(env.COUNT)
let next = 0
async function worker(): Promise<void> {
  while (next < count) {
    const i = next++
    const outcome = await store.append(crashEvent(i))
    process.stdout.write(`ack ${i} ${outcome.inserted}\n`)
  }
}
await Promise.all(Array.from({ length: Number(env.CONCURRENCY ?? 1) }, worker))
process.stdout.write('done\n')
await store.close()
