// The check of the `docs-blocks` consumer project (written by test/consumers/docs-project.ts, run
// by test/consumers/run.mjs after installing the packed package): compiles every code block of the
// docs, compiles their imports under each tsconfig the docs tell users to write, and runs the
// blocks marked `run`. Compiler errors are reported at the docs' own file and line.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

const { tsc, blocks, tsconfigs } = JSON.parse(readFileSync('docs-blocks.json', 'utf8'))
const byFile = new Map(blocks.map((block) => [block.file, block]))
let failures = 0

/**
 * `blocks/x.ts(12,5)` → `docs/receiving.md:118:5`; in the prelude or epilogue, the generated line
 * itself; `imports/x.ts(2,1)` → the block it came from.
 */
function located(output) {
  return output.replace(
    /(blocks|imports)\/([\w.-]+)\.ts\((\d+),(\d+)\)/g,
    (whole, kind, name, line, column) => {
      const file = `blocks/${name}.ts`
      const block = byFile.get(file)
      if (block === undefined) return whole
      if (kind === 'imports') return `${block.where} (its imports, ${whole})`
      const n = Number(line) - block.preludeLines
      const [doc, fence] = block.where.split(/:(?=\d+$)/)
      if (n >= 1 && n <= block.blockLines) return `${doc}:${Number(fence) + n}:${column}`
      const text = readFileSync(file, 'utf8').split('\n')[Number(line) - 1]?.trim()
      return `${block.where} (its ${n < 1 ? 'prelude' : 'epilogue or types check'}: ${text})`
    },
  )
}

function compile(project, what) {
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { encoding: 'utf8' })
  if (result.status !== 0) {
    failures++
    process.stderr.write(`${what} does not compile:\n${located(result.stdout + result.stderr)}\n`)
  }
}

async function freePort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

compile('tsconfig.json', `the docs' code blocks (${blocks.length})`)
for (const { where, file } of tsconfigs) compile(file, `the blocks' imports under the tsconfig of ${where}`)

let ran = 0
const lines = []
if (failures === 0) {
  for (const block of blocks.filter((b) => b.run !== null)) {
    const env = {
      ...process.env,
      PORT: String(await freePort()),
      SMARTSUPP_HOOK_TOKEN: 'docs-hook-token-8c1f0e',
      SMARTSUPP_WEBHOOK_SECRET: 'docs-webhook-secret-52b7',
    }
    const out = block.file.replace(/^blocks\//, 'out/blocks/').replace(/\.ts$/, '.js')
    const result = spawnSync(process.execPath, [out], { encoding: 'utf8', env, timeout: 120_000 })
    if (result.status !== 0 || result.stderr !== '') {
      failures++
      const why = result.error?.message ?? `exit ${result.status ?? result.signal}`
      process.stderr.write(`${block.where} (run): ${why}\n${result.stdout}${result.stderr}\n`)
    } else {
      ran++
      const last = result.stdout.trim().split('\n').at(-1) ?? ''
      lines.push(`${block.where}${last === '' ? '' : `: ${last}`}`)
    }
  }
}
if (failures > 0) process.exit(1)
process.stdout.write(
  `docs-blocks: ${blocks.length} blocks compiled, their imports under ${tsconfigs.length} users' tsconfig(s), ${ran} run (${lines.join('; ')})\n`,
)
