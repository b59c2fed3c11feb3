// The built package is checked the same way by test/consumers/projects/isolation (installed tarball).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const builtins = new Set(builtinModules)
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] ?? '')

/** Every module specifier reachable from `entry` through relative imports (type-only imports included). */
function importGraph(
  entry: string,
  resolveRelative: (from: string, specifier: string) => string,
): Set<string> {
  const external = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) visit(resolveRelative(file, fileName))
      else external.add(fileName)
    }
  }
  visit(entry)
  return external
}

const sourceGraph = (entry: string) =>
  importGraph(join(root, entry), (from, specifier) =>
    resolve(dirname(from), specifier.replace(/\.js$/, '.ts')),
  )

describe('smartsupp-hook/fetch has no node: import anywhere on its path', () => {
  it('in the sources', () => {
    const imports = [...sourceGraph('src/adapters/fetch.ts')]
    expect(imports.filter(isNodeBuiltin)).toEqual([])
    // Only the peers, and no framework.
    expect(imports.filter((s) => !/^(fp-ts|io-ts)(\/|$)/.test(s))).toEqual([])
  })

  it('the scan does see node: imports where there are some (control)', () => {
    expect([...sourceGraph('src/adapters/node.ts')].filter(isNodeBuiltin)).toContain('node:http')
  })
})

describe('importing the package never loads a framework it does not need', { timeout: 60_000 }, () => {
  const tsx = join(root, 'node_modules/.bin/tsx')
  const loaded = (...specifiers: string[]): string[] =>
    JSON.parse(
      execFileSync(tsx, ['test/adapters/support/loaded-frameworks.ts', ...specifiers], {
        cwd: root,
        encoding: 'utf8',
      }),
    )

  it('the root and the express, node and fetch subpaths load no framework (sources)', () => {
    expect(
      loaded('smartsupp-hook', 'smartsupp-hook/express', 'smartsupp-hook/node', 'smartsupp-hook/fetch'),
    ).toEqual([])
  })

  it('the check sees a framework when one is loaded (control)', () => {
    expect(loaded('smartsupp-hook/express', 'express')).toEqual(['body-parser', 'express', 'router'])
    expect(loaded('smartsupp-hook/nest')).toContain('@nestjs/common')
  })
})
