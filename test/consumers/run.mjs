// Consumer smoke test: packs the package as npm would publish it, installs the tarball into
// throwaway projects (ESM, CJS, TypeScript nodenext and node16, every code block of the docs) and
// runs each project's check.
// It proves that the built package loads by its name under native Node resolution.
// `node test/consumers/run.mjs store-pglite cjs` runs only the projects named (after `npm run build`).
// Each check runs with this process's environment (e.g. SMARTSUPP_TEST_POSTGRES_URL, CI); when
// SMARTSUPP_TEST_POSTGRES_URL is unset and store-postgres-cjs is to run, a private PostgreSQL is
// started for it (test/support/private-postgres.mjs) and removed at the end.
//
// A project's package.json may say (besides its own fields):
// - consumerInstall: extra packages (see below); its dependencies and devDependencies are installed too;
// - consumerFromDocs: files the project takes from the docs, never from a copy of its own: each is
//   the fenced block after exactly one `<!-- consumer <project> [<project>…]: <path>[; …] -->`
//   marker in README.md or docs/**/*.md naming it, written as is (consumerFromDocsEsm: with `.js`
//   added to relative imports, as the docs tell an ESM app to write them);
// - consumerTsconfigs: the tsconfig files each TypeScript version of `compilers` checks, over the
//   same install (default tsconfig.json), each a file name or { tsconfig, refuses, why };
//   consumerTypescriptRefuses (and `refuses`): the versions that must refuse it, with the error,
//   e.g. { "7": "TS5102" }, and consumerTypescriptWhy (and `why`) saying why. A project with
//   scripts.build is compiled; one run with `node main` is emitted by the first compile;
// - consumerScripts: the npm scripts to run (default `test` when there is one, else `node main`);
// - expectStdout / expectNoStderr: what its output must show.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPrivatePostgres } from '../support/private-postgres.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
/**
 * The TypeScript compilers every compiled project goes through, installed once per run side by
 * side (npm aliases): 5.9 (this repo's), 6 and 7 (the native compiler; what `npm i -D
 * typescript` installs today). Each `bin/tsc` is a Node script, so it is run with this Node.
 */
const compilers = new Map([
  ['5.9', pkg.devDependencies.typescript],
  ['6', '6.0.3'],
  ['7', '7.0.2'],
])
const keep = process.env.KEEP_CONSUMERS === '1'
const only = process.argv.slice(2)
const known = [...readdirSync(join(here, 'projects')), 'readme-quickstart', 'docs-blocks']
const manifestOf = (name) => JSON.parse(readFileSync(join(here, 'projects', name, 'package.json'), 'utf8'))
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

/** The Markdown files whose blocks projects take: README.md and every docs/*.md. */
function docFiles() {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')) : []
  return ['README.md', ...docs.filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
}

/**
 * Every block of the docs with a `<!-- consumer <projects>: <path>[; <projects>: <path>…] -->`
 * marker among the HTML comments directly above its fence (as test/support/markdown.ts reads
 * them): { doc, targets: [{ project, path }], text }.
 */
function consumerBlocks() {
  const blocks = []
  for (const doc of docFiles()) {
    const lines = readFileSync(join(root, doc), 'utf8').split('\n')
    let comments = []
    for (let i = 0; i < lines.length; i++) {
      const comment = /^<!--([\s\S]*?)-->\s*$/.exec(lines[i])
      if (comment !== null) {
        comments.push(comment[1].trim())
        continue
      }
      const fence = /^(```+|~~~+)/.exec(lines[i])?.[1]
      if (fence === undefined) {
        if (lines[i].trim() !== '') comments = []
        continue
      }
      const end = lines.findIndex((line, j) => j > i && line.startsWith(fence) && line.trim() === fence)
      const text = `${lines.slice(i + 1, end).join('\n')}\n`
      for (const marker of comments.filter((c) => /^consumer\s/.test(c))) {
        const targets = marker
          .replace(/^consumer\s+/, '')
          .split(';')
          .flatMap((part) => {
            const [, projects, path] = /^\s*([^:]+?):\s*(\S+)\s*$/.exec(part) ?? []
            if (path === undefined) throw new Error(`${doc}:${i + 1}: a consumer marker reads "${marker}"`)
            return projects.split(/[\s,]+/).map((project) => ({ project, path }))
          })
        blocks.push({ doc: `${doc}:${i + 1}`, targets, text })
      }
      comments = []
      i = end
    }
  }
  for (const { doc, targets } of blocks) {
    for (const { project, path } of targets) {
      const listed = existsSync(join(here, 'projects', project))
        ? (manifestOf(project).consumerFromDocs ?? [])
        : []
      if (!listed.includes(path)) {
        throw new Error(`${doc}: the block for ${project}: ${path} is not in that project's consumerFromDocs`)
      }
    }
  }
  return blocks
}

/**
 * Writes the files `dir`'s project takes from the docs; each must come from exactly one block. With
 * consumerFromDocsEsm, relative imports get the `.js` the docs tell an ESM app to add.
 */
function writeFromDocs(name, dir, manifest, blocks) {
  for (const path of manifest.consumerFromDocs ?? []) {
    if (existsSync(join(here, 'projects', name, path))) {
      throw new Error(`${name}/${path} comes from the docs: delete the project's own copy`)
    }
    const from = blocks.filter((block) => block.targets.some((t) => t.project === name && t.path === path))
    if (from.length !== 1) {
      throw new Error(
        `${name}/${path}: ${from.length} blocks in the docs (${from.map((b) => b.doc)}), expected 1`,
      )
    }
    const text =
      manifest.consumerFromDocsEsm === true
        ? from[0].text.replace(/(\bfrom\s+'\.{1,2}\/[^']+?)(?<!\.js)'/g, "$1.js'")
        : from[0].text
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

const readManifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

/**
 * Compiles a project with scripts.build under every TypeScript version of `compilers` and each of
 * its tsconfigs, over one install; only a project run with `node main` is emitted, by the first
 * compile. A version the project (consumerTypescriptRefuses) or a tsconfig ({ tsconfig, refuses })
 * names as refusing it, e.g. { "7": "TS5102" }, must fail with that error, so the docs' "TypeScript 7
 * refuses this setting" stays true. Returns what was compiled, e.g. "tsc 5.9, 6, 7: 3 compiles".
 */
function compile(dir, manifest, tscOf) {
  if (manifest.scripts?.build === undefined) return ''
  const tsconfigs = (manifest.consumerTsconfigs ?? ['tsconfig.json']).map((entry) =>
    typeof entry === 'string'
      ? { tsconfig: entry, refuses: manifest.consumerTypescriptRefuses ?? {} }
      : { refuses: {}, ...entry },
  )
  const emit = manifest.consumerScripts === undefined && manifest.scripts?.test === undefined
  let compiles = 0
  let refusals = 0
  for (const version of compilers.keys()) {
    for (const { tsconfig, refuses } of tsconfigs) {
      const expected = refuses[version]
      const args = [tscOf[version], '-p', tsconfig, ...(emit && compiles === 0 ? [] : ['--noEmit'])]
      const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' })
      const at = `TypeScript ${compilers.get(version)}, ${tsconfig}`
      if (expected === undefined && result.status !== 0) {
        throw Object.assign(new Error(`${at}: exit ${result.status}`), result)
      }
      if (expected !== undefined && (result.status === 0 || !result.stdout.includes(`error ${expected}:`))) {
        throw Object.assign(new Error(`${at}: expected to refuse it with ${expected}`), result)
      }
      if (expected === undefined) compiles++
      else refusals++
    }
  }
  const refused = refusals === 0 ? '' : `, ${refusals} refused as the docs say`
  return `tsc ${[...compilers.keys()].join(', ')}: ${compiles} compile${compiles === 1 ? '' : 's'}${refused}`
}

/** Installs every compiler of `compilers` once, side by side; returns version → its tsc script. */
function installCompilers(dir) {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "private": true }')
  const aliases = [...compilers].map(([version, exact]) => `typescript-${version}@npm:typescript@${exact}`)
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...aliases], dir)
  return Object.fromEntries(
    [...compilers.keys()].map((version) => [
      version,
      join(dir, 'node_modules', `typescript-${version}`, 'bin', 'tsc'),
    ]),
  )
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

/**
 * Every relative link in the packed README.md and docs/*.md names a file the tarball holds, so the
 * docs read from node_modules (or an npm page without a repository) have no dead links.
 */
function linksInPackage(paths) {
  const held = new Set(paths)
  const dead = []
  for (const doc of paths.filter((path) => path === 'README.md' || /^docs\/[^/]+\.md$/.test(path))) {
    const text = readFileSync(join(root, doc), 'utf8')
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#')) continue
      const target = posix.normalize(posix.join(posix.dirname(doc), link.split('#')[0]))
      if (!held.has(target)) dead.push(`${doc}: ${link}`)
    }
  }
  if (!held.has('README.md') || !held.has('docs/README.md'))
    dead.push('README.md or docs/README.md not packed')
  if (dead.length > 0) throw new Error(`links to files the package does not hold:\n  ${dead.join('\n  ')}`)
  process.stdout.write(
    `ok   package: every relative link of the packed docs is in the tarball (${paths.length} files)\n`,
  )
}

let failed = 0
let passed = 0
let postgres = null
try {
  if (!process.env.SMARTSUPP_TEST_POSTGRES_URL && chosen('store-postgres-cjs')) {
    postgres = await startPrivatePostgres()
    process.env.SMARTSUPP_TEST_POSTGRES_URL = postgres.url
    process.stdout.write(`a private PostgreSQL for store-postgres-cjs at ${postgres.url}\n`)
  }
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root))
  const tarball = join(work, packed[0].filename)
  linksInPackage(packed[0].files.map((file) => file.path))
  const example = readFileSync(join(root, 'examples', 'payloads', 'documented-example.json'), 'utf8')
  // Peers at the versions the project itself is tested with.
  const peers = ['io-ts', 'fp-ts'].map((name) => `${name}@${pkg.devDependencies[name]}`)

  const blocks = consumerBlocks()
  const projects = readdirSync(join(here, 'projects'))
    .filter(chosen)
    .map((name) => {
      const dir = join(work, name)
      cpSync(join(here, 'projects', name), dir, { recursive: true })
      writeFromDocs(name, dir, manifestOf(name), blocks)
      return name
    })
  if (chosen('readme-quickstart')) projects.push(readmeQuickstart(join(work, 'readme-quickstart')))
  if (chosen('docs-blocks')) projects.push(docsBlocks(join(work, 'docs-blocks')))
  const tscOf = projects.some((name) => readManifest(join(work, name)).scripts?.build !== undefined)
    ? installCompilers(join(work, '.typescript'))
    : {}

  for (const name of projects) {
    const dir = join(work, name)
    writeFileSync(join(dir, 'payload.json'), example)
    const manifest = readManifest(dir)
    // Extra packages a project needs: a bare name gets this repo's devDependency version
    // (e.g. "@types/node"); a full spec ("@nestjs/core@12.5.1") is installed as written.
    const extra = (manifest.consumerInstall ?? []).map((spec) =>
      /^@?[^@]+$/.test(spec) ? `${spec}@${pkg.devDependencies[spec]}` : spec,
    )
    try {
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...peers, ...extra], dir)
      const compiled = compile(dir, manifest, tscOf)
      const scripts = manifest.consumerScripts ?? (manifest.scripts?.test !== undefined ? ['test'] : [])
      // A project with its own test scripts (e.g. Jest) is run as its users run it: `npm run <script>`.
      const results =
        scripts.length > 0
          ? scripts.map((script) =>
              spawnSync('npm', ['run', script, '--silent'], { cwd: dir, encoding: 'utf8' }),
            )
          : [spawnSync(process.execPath, [manifest.main], { cwd: dir, encoding: 'utf8' })]
      const result = {
        status: results.find((r) => r.status !== 0)?.status ?? 0,
        stdout: results.map((r) => r.stdout).join(''),
        stderr: results.map((r) => r.stderr).join(''),
      }
      if (result.status !== 0) throw Object.assign(new Error(`exit ${result.status}`), result)
      // Jest reports on stderr; its "Tests:" lines are the summary.
      const out =
        result.stdout.trim() !== '' ? result.stdout : (result.stderr.match(/^Tests:.*$/gm) ?? []).join('\n')
      for (const expected of manifest.expectStdout ?? []) {
        if (!out.includes(expected)) throw Object.assign(new Error(`stdout lacks ${expected}`), result)
      }
      if (manifest.expectNoStderr === true && result.stderr !== '') {
        throw Object.assign(new Error('unexpected stderr'), result)
      }
      const summary = out.trim().split('\n').join(' | ')
      process.stdout.write(`ok   ${name}: ${compiled === '' ? '' : `${compiled}; `}${summary}\n`)
      passed++
    } catch (e) {
      failed++
      process.stdout.write(`FAIL ${name}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\n`)
    }
  }
} finally {
  await postgres?.remove()
  if (keep) process.stdout.write(`kept the projects in ${work}\n`)
  else rmSync(work, { recursive: true, force: true })
}
process.stdout.write(`consumers: ${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
