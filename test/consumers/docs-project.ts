// Writes the `docs-blocks` consumer project (test/consumers/run.mjs installs the packed package
// into it and runs its check.mjs): every TypeScript and JavaScript block of README.md and
// docs/*.md as a file of its own, with its hidden prelude and epilogue (test/docs/preludes.ts),
// compiled against the package as users import it (`smartsupp-hook`, `smartsupp-hook/express`…);
// the blocks' imports alone once more under each tsconfig the docs tell users to write; and the
// blocks marked `run`, run.
//
//   tsx test/consumers/docs-project.ts <dir>
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { type DocBlock, docBlocks } from '../docs/blocks.js'
import { epilogues, preludes } from '../docs/preludes.js'
import { repositoryRoot } from '../support/markdown.js'

/** What check.mjs needs to know of one generated file. */
export interface GeneratedBlock {
  where: string
  file: string
  /** Lines before the block's first line (the prelude). */
  preludeLines: number
  /** The block's own lines. */
  blockLines: number
  /** `null`: compiled only; `''` or an epilogue's name: run. */
  run: string | null
}

/**
 * The NestJS ≤ 10 starter's tsconfig (`nest new`), which the docs name as the old-tsconfig case
 * every subpath type-checks under (`"module": "commonjs"`, i.e. node10 resolution); any json
 * block marked `<!-- tsconfig -->` in the docs is used beside it.
 */
const nestStarterTsconfig = {
  compilerOptions: {
    module: 'commonjs',
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: 'ES2021',
    sourceMap: true,
    outDir: './dist',
    baseUrl: './',
    incremental: true,
    skipLibCheck: true,
    strictNullChecks: false,
    noImplicitAny: false,
    strictBindCallApply: false,
    forceConsistentCasingInFileNames: false,
    noFallthroughCasesInSwitch: false,
  },
}

/** Packages the blocks import beside the package and its peers; bare names take this repo's version. */
const installs = [
  '@types/node',
  'express',
  '@types/express',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/config',
  '@nestjs/testing',
  'reflect-metadata',
  'rxjs',
  '@electric-sql/pglite',
  'fast-check',
  'ajv',
  'supertest@7.1.4',
  '@types/supertest@6.0.3',
  // The docs' tsconfig names it ("types": ["node", "emscripten"]), for PGlite's own .d.ts.
  '@types/emscripten@1.41.6',
]

function slug(block: DocBlock): string {
  return `${block.file.replace(/\.md$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}-${block.line}`.toLowerCase()
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - 1
}

/** `types: A, B`: the block's declarations of A and B are the package's, both ways assignable. */
function typesCheck(names: string[]): string {
  if (names.length === 0) return ''
  const imports = names.map((name) => `${name} as DocsActual${name}`).join(', ')
  const checks = names.map(
    (name) =>
      `const docsSame${name}: DocsSame<${name}, DocsActual${name}> = true // the docs' ${name} is not the package's`,
  )
  return [
    `import type { ${imports} } from 'smartsupp-hook'`,
    'type DocsSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false',
    ...checks,
    `export { ${names.map((name) => `docsSame${name}`).join(', ')} }`,
    '',
  ].join('\n')
}

/**
 * The block's import declarations alone (an import with attributes needs an ES module target:
 * skipped), but those of the reader's own files (`./…`), which only a consumer block has.
 */
function importsOf(block: DocBlock): string {
  const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.Latest, true)
  return source.statements
    .filter(
      (statement) =>
        ts.isImportDeclaration(statement) &&
        statement.attributes === undefined &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        !statement.moduleSpecifier.text.startsWith('.'),
    )
    .map((statement) => statement.getText(source))
    .join('\n')
}

/** Reads a `<!-- tsconfig -->` block (JSON with comments and trailing commas). */
function parseTsconfig(block: DocBlock): object {
  const parsed = ts.parseConfigFileTextToJson(`${block.where}.json`, block.code)
  if (parsed.error !== undefined) {
    throw new Error(`${block.where}: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n')}`)
  }
  return parsed.config as object
}

export function writeDocsProject(dir: string): { compiled: number; run: number; tsconfigs: number } {
  const blocks = docBlocks()
  mkdirSync(join(dir, 'blocks'), { recursive: true })
  mkdirSync(join(dir, 'imports'), { recursive: true })
  const generated: GeneratedBlock[] = []
  for (const block of blocks.filter((b) => b.compiled)) {
    const name = slug(block)
    // A consumer block is a file of a consumer project, compiled and run there (test/consumers/run.mjs);
    // here only its imports are, under the users' tsconfigs.
    if (block.consumer !== null) {
      writeFileSync(join(dir, 'imports', `${name}.ts`), `${importsOf(block)}\nexport {}\n`)
      continue
    }
    const prelude = block.preludes.map((p) => `${preludes[p]}\n`).join('')
    const epilogue = block.run !== null && block.run !== '' ? `${epilogues[block.run]}\n` : ''
    // `export {}`: every block is a module of its own, whatever it declares.
    const text = `${prelude}${block.code}${typesCheck(block.types)}${epilogue}export {}\n`
    writeFileSync(join(dir, 'blocks', `${name}.ts`), text)
    writeFileSync(join(dir, 'imports', `${name}.ts`), `${importsOf(block)}\nexport {}\n`)
    generated.push({
      where: block.where,
      file: `blocks/${name}.ts`,
      preludeLines: lineCount(prelude),
      blockLines: lineCount(block.code),
      run: block.run,
    })
  }
  // The blocks as users compile them: strict, ES modules under nodenext, decorators for Nest.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      moduleDetection: 'force',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      resolveJsonModule: true,
      // PGlite's own .d.ts need @types/emscripten or this (docs/stores.md says so).
      skipLibCheck: true,
      types: ['node'],
      rootDir: '.',
      outDir: 'out',
    },
    include: ['blocks/*.ts'],
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  const userConfigs = [
    { where: 'the NestJS ≤ 10 starter (nest new)', config: nestStarterTsconfig },
    ...blocks.filter((b) => b.tsconfig).map((b) => ({ where: b.where, config: parseTsconfig(b) })),
  ]
  const tsconfigs = userConfigs.map(({ where, config }, index) => {
    const file = `tsconfig.users-${index}.json`
    const options = {
      ...(config as { compilerOptions?: object }).compilerOptions,
      noEmit: true,
      incremental: false,
    }
    writeFileSync(
      join(dir, file),
      JSON.stringify({ compilerOptions: options, include: ['imports/*.ts'] }, null, 2),
    )
    return { where, file }
  })
  const manifest = {
    name: 'consumer-docs-blocks',
    private: true,
    type: 'module',
    main: 'check.mjs',
    consumerInstall: installs,
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  writeFileSync(join(dir, 'docs-blocks.json'), JSON.stringify({ tsc, blocks: generated, tsconfigs }, null, 2))
  return {
    compiled: generated.length,
    run: generated.filter((b) => b.run !== null).length,
    tsconfigs: tsconfigs.length,
  }
}

const target = process.argv[2]
if (target !== undefined && process.argv[1]?.endsWith('docs-project.ts')) {
  const written = writeDocsProject(target)
  process.stdout.write(`${JSON.stringify(written)}\n`)
}
