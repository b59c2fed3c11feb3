// The docs' code blocks are all accounted for: each TypeScript or JavaScript block is compiled
// (test/consumers/docs-project.ts, run by `npm run test:consumers`) or says why not, every marker
// is known, and every prelude and epilogue is used. The compiling itself needs the packed package,
// so it happens in the consumer test; this file is the cheap part.
import { describe, expect, it } from 'vitest'
import { codeBlocks } from '../support/markdown.js'
import { docBlocks, readBlock } from './blocks.js'
import { epilogues, preludes } from './preludes.js'

describe('code blocks of README.md and docs/', () => {
  const blocks = docBlocks()
  const compiled = blocks.filter((block) => block.compiled)

  it('reads a block with the markers above it', () => {
    const text = [
      'Text.',
      '',
      '<!-- prelude: crm, save -->',
      '<!-- run: post-webhook -->',
      '```ts',
      'await crm.save()',
      '```',
      '<!-- run -->',
      'A paragraph between the marker and the block cancels it.',
      '',
      '```js',
      'x',
      '```',
    ].join('\n')
    const [first, second] = codeBlocks('x.md', text).map(readBlock)
    expect(first).toMatchObject({
      where: 'x.md:5',
      lang: 'ts',
      code: 'await crm.save()\n',
      preludes: ['crm', 'save'],
      run: 'post-webhook',
      compiled: true,
    })
    expect(second).toMatchObject({ where: 'x.md:11', preludes: [], run: null, compiled: true })
    expect(() => codeBlocks('x.md', '<!-- prelud: crm -->\n```ts\nx\n```\n').map(readBlock)).toThrow(
      /x\.md:2: unknown marker <!-- prelud: crm -->/,
    )
    expect(() => codeBlocks('x.md', '<!-- prelude: nope -->\n```ts\nx\n```\n').map(readBlock)).toThrow(
      /no prelude "nope"/,
    )
    expect(() => codeBlocks('x.md', '<!-- not compiled -->\n```ts\nx\n```\n').map(readBlock)).toThrow(
      /say why/,
    )
    const consumer = '<!-- consumer nest10-jest: src/app.module.ts; nest12: src/x.ts -->\n```ts\nx\n```\n'
    expect(codeBlocks('x.md', consumer).map(readBlock)[0]).toMatchObject({
      consumer: 'nest10-jest: src/app.module.ts; nest12: src/x.ts',
      compiled: true,
      preludes: [],
    })
    expect(() => codeBlocks('x.md', `<!-- prelude: crm -->\n${consumer}`).map(readBlock)).toThrow(
      /a consumer block is compiled and run in its project/,
    )
  })

  it('compiles every TypeScript and JavaScript block but the few marked not compiled', () => {
    expect(compiled.length).toBeGreaterThanOrEqual(20)
    const skipped = blocks.filter((block) => block.notCompiled !== null)
    expect(skipped.length).toBeLessThanOrEqual(2)
    for (const block of blocks) {
      if (!block.compiled) expect(['sh', 'text', 'json', 'jsonc', ''], block.where).toContain(block.lang)
    }
  })

  it('runs the quickstarts', () => {
    const readme = blocks.filter((block) => block.file === 'README.md' && block.compiled)
    expect(readme[0]?.comments.some((c) => c.startsWith('quickstart'))).toBe(true)
    expect(readme[0]?.run).toBe('')
    expect(readme.filter((block) => block.run !== null).length).toBeGreaterThanOrEqual(2)
  })

  it('uses every prelude and epilogue', () => {
    const used = new Set(compiled.flatMap((block) => block.preludes))
    expect(Object.keys(preludes).filter((name) => !used.has(name))).toEqual([])
    const run = new Set(compiled.map((block) => block.run))
    expect(Object.keys(epilogues).filter((name) => !run.has(name))).toEqual([])
  })
})
