// The code blocks of README.md and docs/*.md that the consumer test compiles, with what the HTML
// comments just above each block say about it. The markers (the reader of the rendered docs never
// sees them):
//
//   <!-- prelude: crm, nest-events -->  declarations of the block's placeholders (test/docs/preludes.ts)
//   <!-- run -->                        the compiled block is run and must exit 0 with nothing on stderr
//   <!-- run: post-webhook -->          the same, with that epilogue appended (test/docs/preludes.ts)
//   <!-- types: DecodeFailure -->       the block's declarations of these names equal the package's
//   <!-- not compiled: why -->          a deliberate wrong-way example (there should be very few)
//   <!-- tsconfig -->                   (on a json/jsonc block) a tsconfig the docs tell users to write:
//                                       every block's imports are compiled under it too
//   <!-- quickstart: … -->              the README quickstart (test/consumers/run.mjs runs it as well)
//   <!-- consumer nest10-jest: src/app.module.ts -->
//                                       a file of that consumer project (test/consumers/projects/…),
//                                       which test/consumers/run.mjs writes from the block as is and
//                                       compiles and runs there; it may import the project's own files
import { type CodeBlock, codeBlocks, docFiles, readDoc } from '../support/markdown.js'
import { epilogues, preludes } from './preludes.js'

/** Fence languages compiled as TypeScript (JavaScript blocks are checked as TypeScript too). */
const compiledLanguages = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'mjs', 'jsx'])
/** Fence languages holding a tsconfig. */
const jsonLanguages = new Set(['json', 'jsonc'])

/** One block, read with its markers. */
export interface DocBlock extends CodeBlock {
  /** `docs/receiving.md:108`: where its opening fence is. */
  where: string
  /** Compiled (a TypeScript or JavaScript block not marked `not compiled`). */
  compiled: boolean
  /** Why it is not compiled, when marked so. */
  notCompiled: string | null
  preludes: string[]
  /** `null`: not run; `''`: run as it stands; a name: run with that epilogue. */
  run: string | null
  /** Package exports whose declaration in the block must equal the package's. */
  types: string[]
  /** A tsconfig block the imports are compiled under. */
  tsconfig: boolean
  /** `nest10-jest: src/app.module.ts`: the consumer projects whose file it is, compiled and run there. */
  consumer: string | null
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Reads one block's markers; throws naming the block for a marker it does not know. */
export function readBlock(block: CodeBlock): DocBlock {
  const where = `${block.file}:${block.line}`
  const result: DocBlock = {
    ...block,
    where,
    compiled: compiledLanguages.has(block.lang),
    notCompiled: null,
    preludes: [],
    run: null,
    types: [],
    tsconfig: false,
    consumer: null,
  }
  for (const comment of block.comments) {
    if (/^consumer\s/.test(comment)) {
      result.consumer = comment.replace(/^consumer\s+/, '')
      continue
    }
    const match = /^([a-z][a-z ]*?)(?::\s*([\s\S]*))?$/.exec(comment)
    const [key, value = ''] = [match?.[1] ?? '', match?.[2]?.trim()]
    if (key === 'prelude') result.preludes.push(...list(value))
    else if (key === 'run') result.run = value
    else if (key === 'types') result.types.push(...list(value))
    else if (key === 'not compiled') result.notCompiled = value
    else if (key === 'tsconfig') result.tsconfig = true
    else if (key !== 'quickstart') {
      throw new Error(
        `${where}: unknown marker <!-- ${comment} -->; known: prelude, run, types, not compiled, tsconfig, quickstart, consumer`,
      )
    }
  }
  if (result.notCompiled !== null) {
    if (result.notCompiled === '') throw new Error(`${where}: <!-- not compiled: … --> must say why`)
    result.compiled = false
  }
  const marksCode = result.preludes.length > 0 || result.run !== null || result.types.length > 0
  if (marksCode && !result.compiled) throw new Error(`${where}: prelude, run and types need a compiled block`)
  if (marksCode && result.consumer !== null) {
    throw new Error(`${where}: a consumer block is compiled and run in its project: no prelude, run or types`)
  }
  if (result.tsconfig && !jsonLanguages.has(block.lang))
    throw new Error(`${where}: tsconfig marks a json block`)
  for (const name of result.preludes) {
    if (!(name in preludes)) throw new Error(`${where}: no prelude "${name}" in test/docs/preludes.ts`)
  }
  if (result.run !== null && result.run !== '' && !(result.run in epilogues)) {
    throw new Error(`${where}: no epilogue "${result.run}" in test/docs/preludes.ts`)
  }
  return result
}

/** Every code block of README.md and docs/*.md, with its markers. */
export function docBlocks(): DocBlock[] {
  return docFiles().flatMap((file) => codeBlocks(file, readDoc(file)).map(readBlock))
}
