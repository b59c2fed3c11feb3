import { readdirSync, readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url))

/** The order of docs/architecture.md; `testing/` and `cli/` come last and may import any layer. */
const LAYERS = [
  'codecs',
  'model',
  'decode',
  'helpers',
  'assemble',
  'store',
  'receive',
  'adapters',
  'testing',
  'cli',
] as const

/** Every `.ts` file under `src/`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const files = sourceFiles(srcDir)

/** Every module specifier a file names: static and dynamic imports, `export … from`, `require`. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName)
}

/** The specifiers of import and export-from declarations that load the module at run time (not `import type`). */
function valueSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  const found: string[] = []
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      if (!typeOnly) found.push(statement.moduleSpecifier.text)
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      found.push(statement.moduleSpecifier.text)
    }
  }
  return found
}

/** The specifiers of every import and export-from declaration, type-only ones included (not `import()`). */
function declaredSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
  const found: string[] = []
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : undefined
    if (specifier !== undefined && ts.isStringLiteral(specifier)) found.push(specifier.text)
  }
  return found
}

/** The source file a relative specifier names (`./x.js` → `x.ts`). */
function resolveRelative(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier)
  return target.replace(/\.js$/, '.ts')
}

/** The layer (top folder under `src/`) a file belongs to, or `null` for a file directly in `src/`. */
function layerOf(file: string): string | null {
  const parts = relative(srcDir, file).split(sep)
  return parts.length > 1 ? (parts[0] ?? null) : null
}

const isRelative = (s: string) => s.startsWith('./') || s.startsWith('../')

describe('architecture (docs/architecture.md: codecs → model → decode → helpers → receive → adapters)', () => {
  it('every folder under src/ is a known layer', () => {
    const layers = new Set(files.map(layerOf).filter((l) => l !== null))
    expect([...layers].sort()).toEqual([...LAYERS].sort())
  })

  it('no file imports from a layer to its right', () => {
    const rank = (layer: string) => LAYERS.indexOf(layer as (typeof LAYERS)[number])
    // A file directly in src/ (the package root, index.ts) sits at the rightmost layer it imports.
    const rootRank = (file: string) =>
      Math.max(...specifiers(file).map((s) => rank(layerOf(resolveRelative(file, s)) ?? 'cli')))
    const wrong: string[] = []
    for (const file of files) {
      const from = layerOf(file)
      if (from === null) continue
      for (const specifier of specifiers(file).filter(isRelative)) {
        const target = resolveRelative(file, specifier)
        const to = layerOf(target)
        const toRank = to === null ? rootRank(target) : rank(to)
        if (toRank > rank(from)) wrong.push(`${relative(srcDir, file)} (${from}) imports ${specifier}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('decode/ imports fp-ts for its types only', () => {
    const decodeFiles = files.filter((f) => layerOf(f) === 'decode')
    expect(decodeFiles.length).toBeGreaterThan(0)
    const wrong = decodeFiles.flatMap((file) =>
      valueSpecifiers(file)
        .filter((s) => s === 'fp-ts' || s.startsWith('fp-ts/'))
        .map((s) => `${relative(srcDir, file)}: ${s}`),
    )
    expect(wrong).toEqual([])
  })

  // A builtin loaded on demand with import() (postConversation serving a Node listener) is allowed:
  // the entry still loads, and its types still check, where there is no Node.
  it.each(['index.ts', 'testing/index.ts'])(
    'nothing reachable from src/%s imports a Node builtin when loaded, in its values or its types',
    (entry) => {
      const seen = new Set<string>()
      const queue = [join(srcDir, entry)]
      const wrong: string[] = []
      while (queue.length > 0) {
        const file = queue.pop() as string
        if (seen.has(file)) continue
        seen.add(file)
        for (const specifier of declaredSpecifiers(file)) {
          if (isRelative(specifier)) queue.push(resolveRelative(file, specifier))
          else if (isBuiltin(specifier)) wrong.push(`${relative(srcDir, file)}: ${specifier}`)
        }
      }
      // The walk reached real files (a wrong resolution would throw on read) and more than the entry.
      expect(seen.size).toBeGreaterThan(5)
      expect(wrong).toEqual([])
    },
  )
})
