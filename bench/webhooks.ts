// `npx tsx --expose-gc bench/webhooks.ts` (also the webhook section of `npm run bench`):
// parseWebhookEvent against JSON.parse and zod 4 on every webhook fixture, and the cost of
// verifying a signature beside it. Medians of CPU time per call, contenders interleaved.
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseWebhookEvent, signWebhookBody, verifyWebhookSignature } from '../src/index.js'
import { webhookFixtures } from '../src/testing/index.js'
import { type Contender, measure } from './measure.js'
import { zodWebhookEvent } from './schemas/zod-webhook-schema.js'

/** How many copies of a fixture with shifted timestamps the "fresh timestamps" contenders cycle through. */
const COPIES = 8

/**
 * The fixture with every ISO timestamp moved by `k` seconds: the decoder remembers the last two
 * timestamps it read, so a body repeated call after call never parses a date after the first;
 * cycling through copies makes every call parse its dates, as a stream of real events does.
 */
function shifted(text: string, k: number): string {
  return text.replace(/"(\d{4}-\d\d-\d\dT[^"]+)"/g, (_, iso: string) =>
    JSON.stringify(new Date(Date.parse(iso) + k * 1000).toISOString()),
  )
}

let touched = 0

/** Decodes and reads the result (the event's time and its data's keys), failing on a Left. */
function decodeAndRead(text: string, mode: 'lenient' | 'strict'): unknown {
  const result = parseWebhookEvent(text, mode === 'strict' ? { mode } : undefined)
  if (result._tag === 'Left') throw new Error(`webhook fixture does not decode: ${result.left.message}`)
  const event = result.right
  touched += (event.timestamp?.getTime() ?? 0) & 1
  for (const key in event.data) touched += key.length & 1
  return event
}

function zodOrThrow(value: unknown): unknown {
  const result = zodWebhookEvent.safeParse(value)
  if (!result.success) throw new Error('zod rejects a webhook fixture: the schemas disagree')
  return result
}

const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`

/** Prints the webhook section of the bench, in Markdown. */
export async function webhookSection(options: { quick: boolean }): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? (options.quick ? 5 : 21))
  const plan = { rounds, sampleMs: options.quick ? 10 : 20, warmupMs: options.quick ? 50 : 150 }
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2))
  console.log(
    `## webhooks: parseWebhookEvent per fixture (median CPU per call, ${rounds} interleaved rounds, load average ${one} ${five} ${fifteen})\n`,
  )
  console.log(
    'Ratios to `JSON.parse` of the same text. *repeated*: the same body every call (its timestamps are parsed once and then remembered); *fresh*: cycling through 8 copies whose timestamps differ, so every call parses its dates. zod 4: `safeParse(JSON.parse(body))` with bench/schemas/zod-webhook-schema.ts (validation only, no model, no `Date`s), against our strict mode.\n',
  )
  console.log(
    '| fixture | bytes | JSON.parse | ours, repeated | ratio | ours, fresh | ratio | strict, fresh | zod 4, fresh | zod ÷ strict |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  const repeated: number[] = []
  const fresh: number[] = []
  const zodOverOurs: number[] = []
  for (const [name, make] of Object.entries(webhookFixtures)) {
    const text = JSON.stringify(make())
    const copies = Array.from({ length: COPIES }, (_, k) => shifted(text, k + 1))
    let i = 0
    let j = 0
    let k = 0
    let m = 0
    const contenders: Contender[] = [
      { name: 'JSON.parse', run: (t) => JSON.parse(t) },
      { name: 'ours', run: (t) => decodeAndRead(t, 'lenient') },
      { name: 'JSON.parse fresh', run: () => JSON.parse(copies[i++ & 7] as string) },
      { name: 'ours fresh', run: () => decodeAndRead(copies[j++ & 7] as string, 'lenient') },
      { name: 'strict fresh', run: () => decodeAndRead(copies[k++ & 7] as string, 'strict') },
      { name: 'zod fresh', run: () => zodOrThrow(JSON.parse(copies[m++ & 7] as string)) },
    ]
    const [json, ours, jsonFresh, oursFresh, strictFresh, zod] = measure(contenders, text, plan).map(
      (t) => t.cpuNs,
    ) as [number, number, number, number, number, number]
    repeated.push(ours / json)
    fresh.push(oursFresh / jsonFresh)
    zodOverOurs.push(zod / strictFresh)
    console.log(
      `| ${name} | ${text.length} | ${us(json)} | ${us(ours)} | ${(ours / json).toFixed(2)}× | ${us(oursFresh)} | ${(oursFresh / jsonFresh).toFixed(2)}× | ${us(strictFresh)} | ${us(zod)} | ${(zod / strictFresh).toFixed(1)}× |`,
    )
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number
  const worst = (xs: number[]) => Math.max(...xs)
  console.log(
    `\nratio to JSON.parse, repeated: median ${median(repeated).toFixed(2)}×, worst ${worst(repeated).toFixed(2)}×; fresh: median ${median(fresh).toFixed(2)}×, worst ${worst(fresh).toFixed(2)}×; ${repeated.filter((r) => r <= 1.3).length} of ${repeated.length} fixtures within 1.3× repeated, ${fresh.filter((r) => r <= 1.3).length} fresh. zod 4 ÷ our strict mode: ${Math.min(...zodOverOurs).toFixed(1)}× to ${worst(zodOverOurs).toFixed(1)}× (median ${median(zodOverOurs).toFixed(1)}×).\n`,
  )

  // Verification is asynchronous (Web Crypto), so it is timed on its own: awaited calls in a loop,
  // CPU of the whole process (the thread pool's hashing included), beside the same loop of decodes.
  console.log('## webhooks: signature verification beside decoding (CPU per call, awaited loop)\n')
  console.log('| body | bytes | verifyWebhookSignature | parseWebhookEvent |')
  console.log('|---|---:|---:|---:|')
  const calls = options.quick ? 500 : 2_000
  for (const name of ['conversation.message_delivered', 'conversation.agent_replied'] as const) {
    const body = JSON.stringify(webhookFixtures[name]())
    const secret = 'bench-secret'
    const header = await signWebhookBody(body, secret)
    for (let n = 0; n < 200; n++) await verifyWebhookSignature(body, header, secret)
    const start = process.cpuUsage()
    for (let n = 0; n < calls; n++) await verifyWebhookSignature(body, header, secret)
    const used = process.cpuUsage(start)
    const parseStart = process.cpuUsage()
    for (let n = 0; n < calls; n++) parseWebhookEvent(body)
    const parsed = process.cpuUsage(parseStart)
    console.log(
      `| ${name} | ${body.length} | ${((used.user + used.system) / calls).toFixed(1)} µs | ${((parsed.user + parsed.system) / calls).toFixed(1)} µs |`,
    )
  }
  console.log('')
  if (touched < 0) console.log(touched)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await webhookSection({ quick: process.argv.includes('--quick') })
}
