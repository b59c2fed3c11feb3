/**
 * `npm run bench:focus`: the figures the speed targets are judged on, and nothing else, for
 * iterating on the decoder: `JSON.parse`, `parseConversation` with every message read, and zod 4
 * `safeParse` after `JSON.parse`, interleaved in one process; and the model floor
 * (bench/floor-decode.ts: typeof checks and the model's objects and Dates, none of the decoder's
 * other duties), so the gap between the decoder and what the model itself costs is measured in
 * the same run.
 *
 * - `--sizes=example,1000,100000` picks the payloads (`example` is the documented example; a
 *   number is a generated conversation of that many messages). Default: all three.
 * - `--rounds=N` overrides the number of interleaved rounds.
 * - `--baseline=<dir>` also times a second copy of the sources (e.g. a `git archive` of an older
 *   commit's `src/`), loaded in the same process, so before and after share every round. Give
 *   the copy's parent folder a `package.json` with `"type": "module"` and a `node_modules` link:
 *   without it tsx compiles the copy as CommonJS, whose imports are getter calls, and the
 *   baseline looks slower than it is.
 */
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseConversation } from '../src/index.js'
import { floorParse } from './floor-decode.js'
import { documentedExampleText, generatePayload } from './generate-payload.js'
import { type Contender, measure } from './measure.js'
import { zodConversation } from './schemas/zod-schema.js'

type Parse = typeof parseConversation

function option(name: string): string | undefined {
  const prefix = `--${name}=`
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length)
}

let touched = 0

/** Decodes and reads every message's fields, so lazily built values (if any) are paid for. */
function touchEveryMessage(parse: Parse): (text: string) => unknown {
  return (text) => {
    const result = parse(text)
    if (result._tag === 'Left') throw new Error(`bench payload does not decode: ${result.left.message}`)
    for (const m of result.right.messages) {
      touched += m.sentAt.getTime() & 1
      touched += m.content.length & 1
      if (m.sender !== null) touched += m.sender.kind.length
    }
    return result.right
  }
}

const contenders: Contender[] = [
  { name: 'JSON.parse (floor)', run: (text) => JSON.parse(text) },
  {
    name: 'model floor (bench/floor-decode.ts) + read every message',
    run: touchEveryMessage(((text: string) => ({
      _tag: 'Right',
      right: floorParse(text),
    })) as unknown as Parse),
  },
  { name: 'parseConversation + read every message', run: touchEveryMessage(parseConversation) },
  { name: 'zod 4 safeParse', run: (text) => zodConversation.safeParse(JSON.parse(text)) },
]
const baseline = option('baseline')
if (baseline !== undefined) {
  const url = pathToFileURL(resolve(baseline, 'index.ts')).href
  const old = (await import(url)) as { parseConversation: Parse }
  contenders.push({
    name: 'baseline: parseConversation + read every message',
    run: touchEveryMessage(old.parseConversation),
  })
}

const sizes = (option('sizes') ?? 'example,1000,100000').split(',').map((s) => {
  if (s === 'example') return { label: 'documented example', text: documentedExampleText }
  const n = Number(s)
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--sizes: not a size: ${s}`)
  return { label: `${n.toLocaleString('en')} messages`, text: JSON.stringify(generatePayload(n)) }
})

console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}. ${new Date().toISOString()}\n`,
)
for (const size of sizes) {
  const bytes = Buffer.byteLength(size.text)
  const rounds = Number(option('rounds') ?? (bytes < 100_000 ? 31 : bytes < 3_000_000 ? 21 : 11))
  const timings = measure(contenders, size.text, {
    rounds,
    sampleMs: bytes < 3_000_000 ? 20 : 0,
    warmupMs: 1_000,
  })
  const floor = timings[0]
  if (floor === undefined) continue
  console.log(`## ${size.label} (${(bytes / 1e3).toFixed(0)} KB, median of ${rounds} interleaved rounds)\n`)
  console.log('| contender | CPU per call | × JSON.parse (CPU) | × JSON.parse (wall) |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const t of timings) {
    console.log(
      `| ${t.name} | ${(t.cpuNs / 1e3).toFixed(1)} µs | ${(t.cpuNs / floor.cpuNs).toFixed(3)} | ${(t.wallNs / floor.wallNs).toFixed(3)} |`,
    )
  }
  console.log('')
}
if (touched === -1) console.log(touched)
