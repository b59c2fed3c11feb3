import { collectGarbage } from './collect-garbage.js'

/** One contender: a name and a function of the payload text; the result is kept to defeat dead-code elimination. */
export interface Contender {
  readonly name: string
  readonly run: (text: string) => unknown
}

/**
 * Median time per call in nanoseconds: `cpuNs` is the process's CPU time (user + system, GC
 * threads included), which other processes on a shared machine barely disturb; `wallNs` is
 * elapsed time. `samples` is how many interleaved samples each median is taken from.
 */
export interface Timing {
  readonly name: string
  readonly cpuNs: number
  readonly wallNs: number
  readonly samples: number
}

let sink: unknown

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * CPU and wall time of `batch` calls in nanoseconds. Batched samples (small payloads) force no
 * GC: a full GC before every sample made the decoders (ours, zod, valibot alike) several times
 * slower on their next calls, a state no server is in, and their GC work falls in their own
 * batches. A single call of a large payload starts after a full GC, so that it pays for its own
 * garbage and not for the previous contender's.
 */
function sample(c: Contender, text: string, batch: number): { cpu: number; wall: number } {
  if (batch === 1) collectGarbage()
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (let i = 0; i < batch; i++) sink = c.run(text)
  const wall = Number(process.hrtime.bigint() - start)
  const used = process.cpuUsage(cpu)
  return { cpu: (used.user + used.system) * 1_000, wall }
}

/**
 * Times every contender on one payload: a warm-up, a batch size per contender so that a sample
 * lasts about `sampleMs`, then `rounds` rounds in which every contender takes one sample, in an
 * order that rotates each round (interleaved, so drift and noise hit all alike). Medians per call.
 * `minBatch` > 1 keeps calls that each last longer than a sample in batches too, so they run back
 * to back as on a busy server (no full GC before each), paying for each other's garbage.
 */
export function measure(
  contenders: readonly Contender[],
  text: string,
  options: { rounds: number; sampleMs: number; warmupMs: number; minBatch?: number },
): Timing[] {
  collectGarbage()
  const batches = contenders.map((c) => {
    const until = performance.now() + options.warmupMs
    let calls = 0
    const start = performance.now()
    do {
      sink = c.run(text)
      calls++
    } while (performance.now() < until || calls < 2)
    const perCallMs = (performance.now() - start) / calls
    return Math.max(options.minBatch ?? 1, Math.round(options.sampleMs / perCallMs))
  })
  const cpu: number[][] = contenders.map(() => [])
  const wall: number[][] = contenders.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + round) % contenders.length
      const batch = batches[i] as number
      const s = sample(contenders[i] as Contender, text, batch)
      cpu[i]?.push(s.cpu / batch)
      wall[i]?.push(s.wall / batch)
    }
  }
  if (sink === Symbol.for('never')) console.log(sink)
  return contenders.map((c, i) => ({
    name: c.name,
    cpuNs: median(cpu[i] as number[]),
    wallNs: median(wall[i] as number[]),
    samples: options.rounds,
  }))
}

/** Heap use of one call, in bytes: the growth while it runs (no GC forced, so a lower bound of the peak) and what its result keeps after a full GC. */
export function heapOf(c: Contender, text: string): { duringBytes: number; retainedBytes: number } {
  collectGarbage()
  const before = process.memoryUsage().heapUsed
  const result = c.run(text)
  const during = process.memoryUsage().heapUsed - before
  collectGarbage()
  const retained = process.memoryUsage().heapUsed - before
  sink = result
  return { duringBytes: Math.max(0, during), retainedBytes: Math.max(0, retained) }
}

/** A contender whose call may return a promise; each call is awaited before the next. */
export interface AsyncContender {
  readonly name: string
  readonly run: () => unknown
}

/**
 * `measure` for calls that return promises: each call is awaited before the next (one request
 * after another, as one connection's deliveries are handled), so the median per call includes
 * what awaiting costs and any work on other threads shows in the process's CPU time.
 */
export async function measureAsync(
  contenders: readonly AsyncContender[],
  options: { rounds: number; sampleMs: number; warmupMs: number },
): Promise<Timing[]> {
  collectGarbage()
  const batches: number[] = []
  for (const c of contenders) {
    const start = performance.now()
    const until = start + options.warmupMs
    let calls = 0
    do {
      sink = await c.run()
      calls++
    } while (performance.now() < until || calls < 2)
    batches.push(Math.max(1, Math.round(options.sampleMs / ((performance.now() - start) / calls))))
  }
  const cpu: number[][] = contenders.map(() => [])
  const wall: number[][] = contenders.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + round) % contenders.length
      const c = contenders[i] as AsyncContender
      const batch = batches[i] as number
      const used = process.cpuUsage()
      const start = process.hrtime.bigint()
      for (let n = 0; n < batch; n++) sink = await c.run()
      const elapsed = Number(process.hrtime.bigint() - start)
      const spent = process.cpuUsage(used)
      cpu[i]?.push(((spent.user + spent.system) * 1_000) / batch)
      wall[i]?.push(elapsed / batch)
    }
  }
  if (sink === Symbol.for('never')) console.log(sink)
  return contenders.map((c, i) => ({
    name: c.name,
    cpuNs: median(cpu[i] as number[]),
    wallNs: median(wall[i] as number[]),
    samples: options.rounds,
  }))
}
