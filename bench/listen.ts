// `npm run bench:listen`: what `smartsupp-hook listen` holds in memory while many large uploads
// arrive at once, the figures docs/cli.md quotes. A real listen process (the sources, under tsx, as
// the CLI tests run it) receives 12 uploads of 60 MiB at once over loopback; its peak resident set
// (`VmHWM` of /proc/<pid>/status, Linux only) is read before it is stopped. Three modes, rounds
// interleaved, medians: `--out DIR` (bodies streamed to files); no `--out` with the default
// `--max-memory` (256 MiB); no `--out` with `--max-memory 2GiB`, room for all twelve, which is what
// listen did before the bound. Each body is one JSON object whose one string is 60 MiB, so every
// upload decodes. Prints Markdown. `-- --quick`: one round. Memory, not time: no timed assertion.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { machineLine } from './store.js'

const MiB = 1024 * 1024
const UPLOADS = 12
const BODY_BYTES = 60 * MiB
const rounds = process.argv.includes('--quick') ? 1 : 3
const root = fileURLToPath(new URL('../', import.meta.url))

if (process.platform !== 'linux') {
  console.error('bench:listen reads /proc/<pid>/status (VmHWM): Linux only')
  process.exit(2)
}

/** The body every upload sends: `{"event":"bench.upload","pad":"xxx…"}`, exactly BODY_BYTES long. */
const head = Buffer.from('{"event":"bench.upload","pad":"')
const tail = Buffer.from('"}')
const body = Buffer.alloc(BODY_BYTES, 0x78)
head.copy(body, 0)
tail.copy(body, BODY_BYTES - tail.length)
const CHUNK = MiB

interface Mode {
  readonly name: string
  readonly args: (dir: string) => string[]
}

const MODES: readonly Mode[] = [
  { name: 'with `--out`', args: (dir) => ['--out', dir] },
  { name: 'without `--out` (default `--max-memory`, 256 MiB)', args: () => [] },
  {
    name: 'without `--out`, `--max-memory 2GiB` (room for all: as before the bound)',
    args: () => ['--max-memory', '2GiB'],
  },
]

/** `VmHWM` and `VmRSS` of a process, in MiB. */
function memoryOf(pid: number): { peakMiB: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 }
}

/** Starts `listen --port 0 <args>` from the sources; resolves with the child and its port. */
function startListen(args: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'listen', '--port', '0', ...args],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1]
      if (port !== undefined) resolve({ child, port: Number(port) })
    })
    child.stderr?.resume()
    child.on('close', (code) => reject(new Error(`listen ended (${code}) before listening: ${stdout}`)))
  })
}

/** One upload: the status it was answered, or 0 when the connection closed before an answer came. */
function upload(port: number): Promise<number> {
  return new Promise((resolve) => {
    let settled = false
    const done = (status: number) => {
      if (settled) return
      settled = true
      resolve(status)
    }
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/bench',
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(BODY_BYTES) },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode ?? 0))
    })
    // Refused mid-body: the answer (503) came first, then the close.
    req.on('error', () => setTimeout(() => done(0), 1000))
    let offset = 0
    const write = () => {
      while (offset < BODY_BYTES) {
        const end = Math.min(offset + CHUNK, BODY_BYTES)
        const more = req.write(body.subarray(offset, end))
        offset = end
        if (!more) {
          req.once('drain', write)
          return
        }
      }
      req.end()
    }
    write()
  })
}

interface Sample {
  readonly idleMiB: number
  readonly peakMiB: number
  readonly statuses: readonly number[]
}

async function sample(mode: Mode): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'smartsupp-bench-listen-'))
  const { child, port } = await startListen(mode.args(dir))
  const pid = child.pid as number
  try {
    const idleMiB = memoryOf(pid).rssMiB
    const statuses = await Promise.all(Array.from({ length: UPLOADS }, () => upload(port)))
    return { idleMiB, peakMiB: memoryOf(pid).peakMiB, statuses }
  } finally {
    const closed = new Promise((resolve) => child.on('close', resolve))
    child.kill('SIGTERM')
    await closed
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const mib = (x: number) => `${Math.round(x).toLocaleString('en-US')} MiB`

const samples = new Map<Mode, Sample[]>(MODES.map((m) => [m, []]))
for (let round = 0; round < rounds; round++) {
  // Interleaved, the order rotating each round.
  for (let i = 0; i < MODES.length; i++) {
    const mode = MODES[(i + round) % MODES.length] as Mode
    samples.get(mode)?.push(await sample(mode))
  }
}

console.log(
  `### listen: ${UPLOADS} uploads of ${BODY_BYTES / MiB} MiB at once (${machineLine()}; ${rounds} ${rounds === 1 ? 'round' : 'rounds'})\n`,
)
console.log('| mode | peak RSS (median) | range | idle RSS | answered 200 | answered 503 | other |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const [mode, list] of samples) {
  const peaks = list.map((s) => s.peakMiB)
  const statuses = list.flatMap((s) => s.statuses)
  const count = (f: (s: number) => boolean) => statuses.filter(f).length / list.length
  console.log(
    `| ${mode.name} | ${mib(median(peaks))} | ${mib(Math.min(...peaks))}–${mib(Math.max(...peaks))} | ${mib(median(list.map((s) => s.idleMiB)))} | ${count((s) => s === 200)} | ${count((s) => s === 503)} | ${count((s) => s !== 200 && s !== 503)} |`,
  )
}
