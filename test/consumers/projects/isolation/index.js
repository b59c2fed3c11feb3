// Isolation of the installed package (no framework is installed in this project):
// 1. importing `smartsupp-hook`, `/express`, `/node`, `/fetch` and `/store` (ESM and CommonJS, each in
//    a fresh process) loads no framework and no database driver: express, @nestjs/*, pg and
//    @electric-sql/pglite are absent here, so loading one would fail;
// 2. no file reachable from dist/fetch.* or dist/store.* imports `node:` or a Node builtin;
// 3. no file reachable from a CommonJS entry (every `require` target of the exports map) has a
//    dynamic `import()`: Jest's CommonJS runtime (ts-jest, a Nest app's tests) refuses one with
//    "A dynamic import callback was invoked without --experimental-vm-modules".
// Controls prove each check can fail. Exits non-zero on failure.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const here = dirname(new URL(import.meta.url).pathname)
for (const framework of [
  'express',
  '@nestjs/common',
  '@nestjs/core',
  'body-parser',
  'pg',
  '@electric-sql/pglite',
]) {
  assert.ok(!existsSync(join(here, 'node_modules', framework)), `${framework} must not be installed here`)
}

/** Loads `specifiers` in a fresh Node process; returns null, or the error text when loading failed. */
function load(kind, specifiers) {
  const code =
    kind === 'esm'
      ? specifiers.map((s) => `await import(${JSON.stringify(s)});`).join('')
      : specifiers.map((s) => `require(${JSON.stringify(s)});`).join('')
  const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code]
  try {
    execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return null
  } catch (error) {
    return String(error.stderr || error.message)
  }
}

const subpaths = [
  'smartsupp-hook',
  'smartsupp-hook/express',
  'smartsupp-hook/node',
  'smartsupp-hook/fetch',
  'smartsupp-hook/store',
]
for (const kind of ['esm', 'cjs']) {
  for (const specifier of subpaths) assert.equal(load(kind, [specifier]), null, `${kind} ${specifier}`)
  // Control: the one subpath that needs a framework fails to load without it.
  assert.match(load(kind, ['smartsupp-hook/nest']) ?? '', /@nestjs\/common/, `${kind} control`)
  // Each SQL store's subpath, and only it, loads its driver (an optional peer, absent here).
  assert.match(load(kind, ['smartsupp-hook/store/pglite']) ?? '', /@electric-sql\/pglite/, `${kind} pglite`)
  assert.match(load(kind, ['smartsupp-hook/store/postgres']) ?? '', /'pg'|"pg"/, `${kind} postgres`)
}

const builtins = new Set(builtinModules)
const isBuiltin = (specifier) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])
const importPattern =
  /(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g

/** Every bare specifier reachable from `entry` through relative imports in the built files. */
function externalImports(entry) {
  const external = new Set()
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3]
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else external.add(specifier)
    }
  }
  visit(entry)
  return { external: [...external].sort(), files: seen.size }
}

const dist = dirname(require.resolve('smartsupp-hook/package.json'))
for (const entry of ['dist/fetch.js', 'dist/fetch.cjs', 'dist/store.js', 'dist/store.cjs']) {
  const { external, files } = externalImports(join(dist, entry))
  assert.ok(files > 1, `${entry}: the scan follows its chunks`)
  assert.deepEqual(external.filter(isBuiltin), [], `${entry} reaches a Node builtin`)
  assert.deepEqual(
    external.filter((s) => !/^(fp-ts|io-ts)(\/|$)/.test(s)),
    [],
    `${entry} imports only the peers`,
  )
}
// Control: the scan does see builtins where there are some (the CLI reads files).
assert.ok(externalImports(join(dist, 'dist/cli.js')).external.some(isBuiltin), 'control: cli.js')

/** Every file reachable from `entry` through relative imports and requires, with its text. */
function reachable(entry) {
  const files = new Map()
  const visit = (file) => {
    if (files.has(file)) return
    const text = readFileSync(file, 'utf8')
    files.set(file, text)
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3]
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
    }
  }
  visit(entry)
  return files
}
const dynamicImport = /(?<![\w$.])import\s*\(/
const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))
const cjsEntries = Object.values(manifest.exports)
  .map((target) => target?.require?.default)
  .filter((target) => typeof target === 'string')
assert.equal(cjsEntries.length, 10, 'every subpath has a CommonJS entry')
const cjsFiles = new Set()
for (const entry of cjsEntries) {
  for (const [file, text] of reachable(join(dist, entry))) {
    assert.ok(
      !dynamicImport.test(text),
      `${entry} reaches a dynamic import() in ${file.slice(dist.length + 1)}`,
    )
    cjsFiles.add(file)
  }
}
// Control: the ESM build of the testing kit still loads node:http lazily with import(), and the scan sees it.
assert.ok(
  [...reachable(join(dist, manifest.exports['./testing'].import.default)).values()].some((text) =>
    dynamicImport.test(text),
  ),
  'control: dist/testing.js',
)
// The CLI (bin: dist/cli.js) is ESM only: its lazy command imports are never in a CommonJS file.
assert.ok(!existsSync(join(dist, 'dist/cli.cjs')), 'no dist/cli.cjs')

console.log(
  `isolation: ${subpaths.length} entries × ESM/CJS load no framework or driver; dist/{fetch,store}.{js,cjs} reach no Node builtin; ${cjsEntries.length} CommonJS entries (${cjsFiles.size} files) have no dynamic import()`,
)
