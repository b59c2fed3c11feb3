/**
 * `npm run bench`: times `parseConversation` against the `JSON.parse` floor and against zod 4,
 * valibot, ajv and io-ts validating the same schema after `JSON.parse`, on the documented example
 * and on generated payloads of 100 to 100 000 messages; then a bad 10 MB payload against a good
 * one; then the webhook section (bench/webhooks.ts: every webhook fixture against `JSON.parse` and
 * zod 4, and signature verification); then the event store section (bench/store.ts: appends,
 * re-deliveries, assembly and claims per second on PGlite and, with SMARTSUPP_TEST_POSTGRES_URL,
 * PostgreSQL; and one and two receiver processes sharing that PostgreSQL under 200 concurrent
 * deliveries; `npm run bench:store` runs it alone). Prints Markdown
 * tables (the source of bench/RESULTS.md).
 * `-- --quick` for a short run.
 */
import { spawnSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import * as v from 'valibot'
import { ConversationPayload, parseConversation } from '../src/index.js'
import {
  documentedExampleText,
  generateBrokenPayload,
  generatePayload,
  generateWarnedPayload,
} from './generate-payload.js'
import { type Contender, heapOf, measure, type Timing } from './measure.js'
import { ajvConversation } from './schemas/ajv-schema.js'
import { valibotConversation } from './schemas/valibot-schema.js'
import { zodConversation } from './schemas/zod-schema.js'
import { storeSection } from './store.js'
import { webhookSection } from './webhooks.js'

const quick = process.argv.includes('--quick')
/** The child run: 100 000 messages again, in a Node started with a 64 MB young generation. */
const YOUNG_FLAG = '--max-semi-space-size=64'
const child = process.argv.includes('--child')

function decoded(text: string, mode: 'lenient' | 'strict') {
  const result = parseConversation(text, { mode })
  if (result._tag === 'Left') throw new Error(`bench payload does not decode: ${result.left.message}`)
  return result.right
}

let touched = 0

/** Decodes and reads every message's fields, so lazily built values (if any) are paid for. */
function touchEveryMessage(text: string): unknown {
  const conversation = decoded(text, 'lenient')
  for (const m of conversation.messages) {
    touched += m.sentAt.getTime() & 1
    touched += m.content.length & 1
    if (m.sender !== null) touched += m.sender.kind.length
  }
  return conversation
}

const FLOOR = 'JSON.parse (floor)'
const LENIENT = 'parseConversation lenient'
const TOUCHED = 'parseConversation lenient + touch every message'
const STRICT = 'parseConversation strict'
const ZOD = 'zod 4 safeParse'
const VALIBOT = 'valibot safeParse'
const AJV = 'ajv compiled'
const IOTS = 'io-ts ConversationPayload.decode'

function check(name: string, ok: boolean): void {
  if (!ok) throw new Error(`${name} rejects the bench payload: the schemas disagree`)
}

const contenders: Contender[] = [
  { name: FLOOR, run: (text) => JSON.parse(text) },
  { name: LENIENT, run: (text) => parseConversation(text) },
  { name: TOUCHED, run: touchEveryMessage },
  { name: STRICT, run: (text) => parseConversation(text, { mode: 'strict' }) },
  { name: ZOD, run: (text) => zodConversation.safeParse(JSON.parse(text)) },
  { name: VALIBOT, run: (text) => v.safeParse(valibotConversation, JSON.parse(text)) },
  { name: AJV, run: (text) => ajvConversation(JSON.parse(text)) },
  { name: IOTS, run: (text) => ConversationPayload.decode(JSON.parse(text)) },
]

interface SizeResult {
  readonly label: string
  readonly messages: number
  readonly bytes: number
  readonly timings: Timing[]
  readonly heap: Map<string, { duringBytes: number; retainedBytes: number }>
}

const sizes: { label: string; messages: number; text: string }[] = [
  { label: 'documented example', messages: 5, text: documentedExampleText },
  ...[100, 1_000, 10_000, 100_000].map((n) => ({
    label: `${n.toLocaleString('en')} messages`,
    messages: n,
    text: JSON.stringify(generatePayload(n)),
  })),
]
if (child) sizes.splice(0, sizes.length - 1)

function plan(bytes: number): { rounds: number; sampleMs: number; warmupMs: number } {
  if (quick) return { rounds: 5, sampleMs: bytes < 1e6 ? 10 : 0, warmupMs: 200 }
  if (bytes < 100_000) return { rounds: 25, sampleMs: 20, warmupMs: 1_000 }
  if (bytes < 3_000_000) return { rounds: 15, sampleMs: 20, warmupMs: 1_000 }
  return { rounds: 9, sampleMs: 0, warmupMs: 1_500 }
}

const time = (ns: number) =>
  ns < 1e3 ? `${ns.toFixed(0)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(1)} µs` : `${(ns / 1e6).toFixed(2)} ms`
const mb = (bytes: number) =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} KB` : `${(bytes / 1e6).toFixed(1)} MB`
const ops = (ns: number) => {
  const perSecond = 1e9 / ns
  return perSecond >= 100 ? Math.round(perSecond).toLocaleString('en') : perSecond.toFixed(1)
}

function validateAll(text: string): void {
  const value = JSON.parse(text)
  check(ZOD, zodConversation.safeParse(value).success)
  check(VALIBOT, v.safeParse(valibotConversation, value).success)
  check(AJV, ajvConversation(value) === true)
  check(IOTS, ConversationPayload.is(value))
  decoded(text, 'strict')
}

const cpu = cpus()[0]?.model ?? 'unknown CPU'
if (!child) console.log(`# smartsupp-hook bench${quick ? ' (quick)' : ''}\n`)
if (!child)
  console.log(
    `Node ${process.version}, V8 ${process.versions.v8}, ${cpu} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch}. ${new Date().toISOString()}\n`,
  )

const results: SizeResult[] = []
for (const size of sizes) {
  validateAll(size.text)
  const bytes = Buffer.byteLength(size.text)
  const timings = measure(contenders, size.text, plan(bytes))
  const heap = new Map(contenders.map((c) => [c.name, heapOf(c, size.text)]))
  results.push({ label: size.label, messages: size.messages, bytes, timings, heap })
  const floor = timings[0] as Timing
  const where = child ? `, in \`node ${YOUNG_FLAG}\`` : ''
  console.log(
    `## ${size.label}${where} (${mb(bytes)} of JSON, median of ${floor.samples} interleaved samples)\n`,
  )
  console.log(
    '| contender | CPU per call | × JSON.parse (CPU) | wall per call | × JSON.parse (wall) | ops/s (wall) | heap during one call | heap kept by the result |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const t of timings) {
    const h = heap.get(t.name)
    console.log(
      `| ${t.name} | ${time(t.cpuNs)} | ${(t.cpuNs / floor.cpuNs).toFixed(2)} | ${time(t.wallNs)} | ${(t.wallNs / floor.wallNs).toFixed(2)} | ${ops(t.wallNs)} | ${mb(h?.duringBytes ?? 0)} | ${mb(h?.retainedBytes ?? 0)} |`,
    )
  }
  console.log('')
}

if (!child) {
  finish()
  await webhookSection({ quick })
  await storeSection({ quick })
}

/** The bad-body comparison, the run with a large young generation, and the verdicts. */
function finish(): void {
  // A bad body of about 10 MB: every message broken (an error each) or off-contract (a warning each).
  const TEN_MB_MESSAGES = 60_000
  const good = JSON.stringify(generatePayload(TEN_MB_MESSAGES, 7))
  const broken = JSON.stringify(generateBrokenPayload(TEN_MB_MESSAGES))
  const warned = JSON.stringify(generateWarnedPayload(TEN_MB_MESSAGES))
  const brokenFailure = parseConversation(broken)
  const brokenIssues = brokenFailure._tag === 'Left' ? brokenFailure.left : undefined
  const warnedResult = parseConversation(warned)
  const warnedConversation = warnedResult._tag === 'Right' ? warnedResult.right : undefined
  const strictWarned = parseConversation(warned, { mode: 'strict' })
  const strictWarnedFailure = strictWarned._tag === 'Left' ? strictWarned.left : undefined
  if (brokenIssues === undefined || warnedConversation === undefined || strictWarnedFailure === undefined) {
    throw new Error('the bad 10 MB payloads did not decode as expected')
  }
  const bad: Contender[] = [
    { name: 'good: JSON.parse', run: (_) => JSON.parse(good) },
    { name: 'good: parseConversation lenient', run: (_) => parseConversation(good) },
    { name: 'good: parseConversation strict', run: (_) => parseConversation(good, { mode: 'strict' }) },
    { name: 'broken sentAt in every message: lenient', run: (_) => parseConversation(broken) },
    { name: 'unknown field in every message: lenient', run: (_) => parseConversation(warned) },
    {
      name: 'unknown field in every message: strict',
      run: (_) => parseConversation(warned, { mode: 'strict' }),
    },
  ]
  const badTimings = measure(
    bad,
    '',
    quick ? { rounds: 3, sampleMs: 0, warmupMs: 200 } : { rounds: 9, sampleMs: 0, warmupMs: 1_500 },
  )
  const goodLenient = badTimings[1] as Timing
  const goodStrict = badTimings[2] as Timing
  const counts = [
    '',
    '0 issues',
    '0 issues',
    `Left: ${brokenIssues.issueCount.toLocaleString('en')} issues (${brokenIssues.issues.length} kept)`,
    `Right: ${warnedConversation.warningCount.toLocaleString('en')} warnings (${warnedConversation.warnings.length} kept)`,
    `Left: ${strictWarnedFailure.issueCount.toLocaleString('en')} issues (${strictWarnedFailure.issues.length} kept)`,
  ]
  console.log(
    `## a bad 10 MB body (${TEN_MB_MESSAGES.toLocaleString('en')} messages; good ${mb(Buffer.byteLength(good))}, broken ${mb(Buffer.byteLength(broken))}, with unknown fields ${mb(Buffer.byteLength(warned))})\n`,
  )
  console.log(
    '| body: decode | CPU per call | × good (same mode, CPU) | wall per call | × good (wall) | outcome |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | --- |')
  badTimings.forEach((t, i) => {
    const reference = i === 5 || i === 2 ? goodStrict : i === 0 ? t : goodLenient
    console.log(
      `| ${t.name} | ${time(t.cpuNs)} | ${(t.cpuNs / reference.cpuNs).toFixed(2)} | ${time(t.wallNs)} | ${(t.wallNs / reference.wallNs).toFixed(2)} | ${counts[i]} |`,
    )
  })
  console.log('')

  // Large payloads are GC-bound: the same size again with a young generation big enough to hold them.
  const again = spawnSync(
    process.execPath,
    [YOUNG_FLAG, ...process.execArgv, ...process.argv.slice(1), '--child'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  console.log(again.stdout)
  const young = /\| parseConversation lenient \+ touch every message \| [^|]+\| ([\d.]+) \|/.exec(
    again.stdout,
  )?.[1]

  // The targets of issue 6, judged on this run.
  function at(label: string, name: string): number {
    const timing = results.find((r) => r.label === label)?.timings.find((t) => t.name === name)
    if (timing === undefined) throw new Error(`no timing for ${name} at ${label}`)
    return timing.cpuNs
  }
  const ratio = (label: string, name: string) => at(label, name) / at(label, FLOOR)
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**')
  console.log('## targets (judged on CPU time; medians)\n')
  console.log('| target | measured | verdict |')
  console.log('| --- | --- | --- |')
  for (const label of ['documented example', '1,000 messages', '100,000 messages']) {
    const touched = ratio(label, TOUCHED)
    console.log(
      `| ≤ 1.2× JSON.parse, ${label} | ${touched.toFixed(2)}× with every message touched (${ratio(label, LENIENT).toFixed(2)}× decode only, ${ratio(label, STRICT).toFixed(2)}× strict) | ${verdict(touched <= 1.2)} |`,
    )
  }
  for (const r of results) {
    const ours = Math.max(at(r.label, TOUCHED), at(r.label, STRICT))
    const rival = Math.min(at(r.label, ZOD), at(r.label, VALIBOT))
    console.log(
      `| faster than zod 4 and valibot, ${r.label} | slowest of ours ${time(ours)}; fastest of zod/valibot ${time(rival)} (${(rival / ours).toFixed(1)}× ours) | ${verdict(ours < rival)} |`,
    )
  }
  if (young !== undefined) {
    console.log(
      `| ≤ 1.2× JSON.parse, 100,000 messages, in \`node ${YOUNG_FLAG}\` | ${young}× with every message touched | ${verdict(Number(young) <= 1.2)} |`,
    )
  }
  const linear = at('100,000 messages', TOUCHED) / at('1,000 messages', TOUCHED)
  console.log(
    `| linear: 100 000 messages ≤ 110× 1 000 | ${linear.toFixed(0)}× (JSON.parse alone: ${(at('100,000 messages', FLOOR) / at('1,000 messages', FLOOR)).toFixed(0)}×) | ${verdict(linear <= 110)} |`,
  )
  const worst = Math.max(
    ...badTimings.slice(3).map((t, i) => t.cpuNs / (i === 2 ? goodStrict : goodLenient).cpuNs),
  )
  console.log(`| bad 10 MB body ≤ 2× a good one | worst ${worst.toFixed(2)}× | ${verdict(worst <= 2)} |`)

  if (touched < 0) console.log(touched) // keeps the touched values observable
}
