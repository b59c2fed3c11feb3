/**
 * `npx tsx bench/decode-ab.ts <a/src/index.ts> <b/src/index.ts> [messages]`: the decoder alone
 * (`decodeConversation` on an already parsed generated payload, so `JSON.parse` noise is out),
 * two copies of the sources interleaved in one process, 40 rounds of about 30 ms each (the first
 * five dropped as warm-up); prints the median CPU time per call of each and b/a. For a copy made
 * with `git archive`, see the note on `--baseline` in focus.ts (package.json, node_modules).
 */
import { generatePayload } from './generate-payload.js'

type Decode = (value: unknown) => unknown
const [pathA, pathB, size] = process.argv.slice(2)
if (pathA === undefined || pathB === undefined) throw new Error('usage: decode-ab.ts <a> <b> [messages]')
const loaded = await Promise.all([import(pathA), import(pathB)])
const decoders = loaded.map((m) => (m as { decodeConversation: Decode }).decodeConversation)
const value = generatePayload(Number(size ?? 1000))
let sink: unknown
const times: number[][] = [[], []]
for (let round = 0; round < 40; round++) {
  for (const k of round % 2 === 1 ? [0, 1] : [1, 0]) {
    const decode = decoders[k] as Decode
    const start = process.cpuUsage()
    const end = performance.now() + 30
    let calls = 0
    while (performance.now() < end) {
      sink = decode(value)
      calls++
    }
    const used = process.cpuUsage(start)
    if (round >= 5) times[k]?.push((used.user + used.system) / calls)
  }
}
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1] as number
const [a, b] = times.map((xs) => median(xs)) as [number, number]
console.log(`a ${a.toFixed(1)} µs  b ${b.toFixed(1)} µs  b/a ${(b / a).toFixed(3)}`)
if (sink === Symbol.for('never')) console.log(sink)
