// `npx tsx --expose-gc bench/webhooks.ts`: parseWebhookEvent against JSON.parse on every webhook
// fixture, and the cost of verifying a signature beside it. Ratios of median CPU time per call.
import { parseWebhookEvent, signWebhookBody, verifyWebhookSignature } from '../src/index.js'
import { webhookFixtures } from '../src/testing/index.js'
import { type Contender, measure } from './measure.js'

const options = { rounds: Number(process.env.ROUNDS ?? 21), sampleMs: 20, warmupMs: 150 }
const contenders: Contender[] = [
  { name: 'JSON.parse', run: (text) => JSON.parse(text) },
  { name: 'parseWebhookEvent', run: (text) => parseWebhookEvent(text) },
]

console.log('| fixture | bytes | JSON.parse | parseWebhookEvent | ratio |')
console.log('|---|---:|---:|---:|---:|')
const ratios: number[] = []
for (const [name, make] of Object.entries(webhookFixtures)) {
  const text = JSON.stringify(make())
  const [json, ours] = measure(contenders, text, options)
  if (json === undefined || ours === undefined) continue
  const ratio = ours.cpuNs / json.cpuNs
  ratios.push(ratio)
  console.log(
    `| ${name} | ${text.length} | ${(json.cpuNs / 1000).toFixed(2)} µs | ${(ours.cpuNs / 1000).toFixed(2)} µs | ${ratio.toFixed(2)}× |`,
  )
}
ratios.sort((a, b) => a - b)
console.log(`\nmedian ratio ${ratios[ratios.length >> 1]?.toFixed(2)}×, worst ${ratios.at(-1)?.toFixed(2)}×`)

// Verification is asynchronous (Web Crypto), so it is timed on its own: awaited calls in a loop.
const body = JSON.stringify(webhookFixtures['conversation.agent_replied']())
const secret = 'bench-secret'
const header = await signWebhookBody(body, secret)
const calls = 2_000
for (let i = 0; i < 200; i++) await verifyWebhookSignature(body, header, secret)
const start = process.cpuUsage()
for (let i = 0; i < calls; i++) await verifyWebhookSignature(body, header, secret)
const used = process.cpuUsage(start)
const parseStart = process.cpuUsage()
for (let i = 0; i < calls; i++) parseWebhookEvent(body)
const parsed = process.cpuUsage(parseStart)
console.log(
  `verifyWebhookSignature on ${body.length} bytes: ${((used.user + used.system) / calls).toFixed(1)} µs per call (CPU), ` +
    `parseWebhookEvent: ${((parsed.user + parsed.system) / calls).toFixed(1)} µs`,
)
