// Consumer smoke test: packs the package as npm would publish it, installs the tarball into
// throwaway projects (ESM, CJS, TypeScript nodenext and node16, every code block of the docs) and
// runs each project's check.
// It proves that the built package loads by its name under native Node resolution.
// `node test/consumers/run.mjs store-pglite cjs` runs only the projects named (after `npm run build`).
// Each check runs with this process's environment (e.g. SMARTSUPP_TEST_POSTGRES_URL, CI).
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const keep = process.env.KEEP_CONSUMERS === '1'
const only = process.argv.slice(2)
const known = [...readdirSync(join(here, 'projects')), 'readme-quickstart', 'docs-blocks']
const unknown = only.filter((name) => !known.includes(name))
if (unknown.length > 0) {
  process.stderr.write(`no consumer project ${unknown.join(', ')}; known: ${known.join(', ')}\n`)
  process.exit(2)
}
const chosen = (name) => only.length === 0 || only.includes(name)
const work = mkdtempSync(join(tmpdir(), 'smartsupp-hook-consumers-'))

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A TypeScript project whose source is the README's quickstart block, exactly as written. */
function readmeQuickstart(dir) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const block = /<!-- quickstart[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)
  if (block === null) throw new Error('README.md has no quickstart block')
  cpSync(join(here, 'projects', 'ts-nodenext'), dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  manifest.name = 'consumer-readme-quickstart'
  manifest.consumerInstall = ['@types/node']
  // The quickstart exits 0 even when it logs a failure, so its output is what proves it worked.
  manifest.expectStdout = ['conversation 55039 from Dusan Kmet', 'agent 3 wrote: Hi, how can i help you ?']
  manifest.expectNoStderr = true
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))
  tsconfig.compilerOptions.types = ['node']
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  writeFileSync(join(dir, 'index.ts'), block[1])
  return 'readme-quickstart'
}

/**
 * A project holding every code block of README.md and docs/*.md (docs-project.ts writes it; its
 * check.mjs compiles them, their imports under the users' tsconfigs, and runs those marked `run`).
 */
function docsBlocks(dir) {
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  run(process.execPath, [tsx, join(here, 'docs-project.ts'), dir], root)
  cpSync(join(here, 'docs-check.mjs'), join(dir, 'check.mjs'))
  return 'docs-blocks'
}

let failed = 0
let passed = 0
try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root))
  const tarball = join(work, packed[0].filename)
  const example = readFileSync(join(root, 'examples', 'payloads', 'documented-example.json'), 'utf8')
  // Peers at the versions the project itself is tested with.
  const peers = ['io-ts', 'fp-ts'].map((name) => `${name}@${pkg.devDependencies[name]}`)

  const projects = readdirSync(join(here, 'projects'))
    .filter(chosen)
    .map((name) => {
      const dir = join(work, name)
      cpSync(join(here, 'projects', name), dir, { recursive: true })
      return name
    })
  if (chosen('readme-quickstart')) projects.push(readmeQuickstart(join(work, 'readme-quickstart')))
  if (chosen('docs-blocks')) projects.push(docsBlocks(join(work, 'docs-blocks')))

  for (const name of projects) {
    const dir = join(work, name)
    writeFileSync(join(dir, 'payload.json'), example)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    // Extra packages a project needs: a bare name gets this repo's devDependency version
    // (e.g. "@types/node"); a full spec ("@nestjs/core@12.5.1") is installed as written.
    const extra = (manifest.consumerInstall ?? []).map((spec) =>
      /^@?[^@]+$/.test(spec) ? `${spec}@${pkg.devDependencies[spec]}` : spec,
    )
    try {
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...peers, ...extra], dir)
      if (manifest.scripts?.build !== undefined) run(process.execPath, [tsc, '-p', '.'], dir)
      // A project with its own test script (e.g. Jest) is run as its users run it: `npm test`.
      const result =
        manifest.scripts?.test !== undefined
          ? spawnSync('npm', ['test', '--silent'], { cwd: dir, encoding: 'utf8' })
          : spawnSync(process.execPath, [manifest.main], { cwd: dir, encoding: 'utf8' })
      if (result.status !== 0) throw Object.assign(new Error(`exit ${result.status}`), result)
      // Jest reports on stderr; its "Tests:" line is the summary.
      const out = result.stdout.trim() !== '' ? result.stdout : (/^Tests:.*$/m.exec(result.stderr)?.[0] ?? '')
      for (const expected of manifest.expectStdout ?? []) {
        if (!out.includes(expected)) throw Object.assign(new Error(`stdout lacks ${expected}`), result)
      }
      if (manifest.expectNoStderr === true && result.stderr !== '') {
        throw Object.assign(new Error('unexpected stderr'), result)
      }
      process.stdout.write(`ok   ${name}: ${out.trim().split('\n').join(' | ')}\n`)
      passed++
    } catch (e) {
      failed++
      process.stdout.write(`FAIL ${name}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\n`)
    }
  }
} finally {
  if (keep) process.stdout.write(`kept the projects in ${work}\n`)
  else rmSync(work, { recursive: true, force: true })
}
process.stdout.write(`consumers: ${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
