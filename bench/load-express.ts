// Load benchmark (not a test): requests per second of the Express adapter against a bare
// `express.json()` handler in the same app, on loopback, with the ratio printed. The server runs
// in a child process so the load generator does not share its event loop.
// Run: npm run bench:load   (BENCH_SECONDS per run, default 5; 2 rounds of each, alternating)
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import express from 'express'
import { smartsuppHook } from 'smartsupp-hook/express'

const payloadFile = fileURLToPath(new URL('../examples/payloads/documented-example.json', import.meta.url))
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const maxRequestsPerRun = 500_000
const connections = 16
const expressVersion: string = createRequire(import.meta.url)('express/package.json').version

if (process.argv[2] === 'serve') serve()
else await measure()

/** The app under load: the hook mounted first (the recommended set-up), and a bare express.json() route. */
function serve(): void {
  const app = express()
  let decoded = 0
  app.post(
    '/hook',
    smartsuppHook({
      onConversation: (conversation) => {
        decoded += conversation.id.length > 0 ? 1 : 0
      },
    }),
  )
  app.use(express.json({ limit: '1mb' }))
  app.post('/bare', (req, res) => {
    decoded += typeof req.body === 'object' ? 1 : 0
    res.json({ ok: true })
  })
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
  })
  // Stop with the parent, whatever happens to it.
  process.on('disconnect', () => server.close(() => process.exit(0)))
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
  void decoded
}

async function measure(): Promise<void> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), 'serve'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    })
    const body = readFileSync(payloadFile)
    const run = async (path: string, duration: number) => {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration,
        maxOverallRequests: maxRequestsPerRun,
      })
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`)
      return result.requests.average
    }
    console.log(
      `Express ${expressVersion}, ${body.length}-byte documented example, ${connections} connections, ${seconds} s per run`,
    )
    await run('/bare', 1)
    await run('/hook', 1)
    const bare: number[] = []
    const hook: number[] = []
    for (let round = 0; round < 2; round++) {
      bare.push(await run('/bare', seconds))
      hook.push(await run('/hook', seconds))
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const ratio = mean(hook) / mean(bare)
    console.log(
      `bare express.json() handler: ${bare.map((x) => Math.round(x)).join(', ')} req/s (mean ${Math.round(mean(bare))})`,
    )
    console.log(
      `smartsuppHook (decodes):     ${hook.map((x) => Math.round(x)).join(', ')} req/s (mean ${Math.round(mean(hook))})`,
    )
    const verdict =
      ratio >= 1
        ? `the adapter is ${((ratio - 1) * 100).toFixed(1)}% faster than the bare handler`
        : `the adapter costs ${((1 - ratio) * 100).toFixed(1)}% throughput`
    console.log(`ratio hook/bare: ${ratio.toFixed(3)} → ${verdict} (target: costs under 10%)`)
  } finally {
    child.stdin?.end()
    child.kill()
  }
}
