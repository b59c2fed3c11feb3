// Every relative link in README.md and docs/*.md leads somewhere: the file exists, and an anchor
// (`#…`, in the same file or another Markdown file) is one GitHub gives a heading there.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anchors, docFiles, links, readDoc, repositoryRoot } from '../support/markdown.js'

/** What is wrong with one link from `file`, or `null` when it resolves. */
function problem(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null // https:, mailto:…: not ours to check
  const hash = target.indexOf('#')
  const path = hash === -1 ? target : target.slice(0, hash)
  const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1))
  const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)))
  if (resolved.startsWith('..')) return `${target} leaves the repository`
  const absolute = join(repositoryRoot, resolved)
  if (!existsSync(absolute)) return `${target}: no file ${relative(repositoryRoot, absolute)}`
  if (anchor === null) return null
  if (!resolved.endsWith('.md') || statSync(absolute).isDirectory())
    return `${target}: an anchor into a non-Markdown file`
  const known = anchors(readFileSync(absolute, 'utf8'))
  return known.has(anchor) ? null : `${target}: ${resolved} has no heading with the anchor #${anchor}`
}

describe('links in README.md and docs/', () => {
  it('the checker finds links and anchors as GitHub does', () => {
    const text = [
      '# Fetch API: Next.js, Hono',
      '## NestJS (11, CommonJS; 12, ESM-only)',
      '## `node:http`',
      '## Webhooks',
      '### Webhooks',
      'See [a](other.md#x) and [wrapped',
      'text](#webhooks-1), `[not](a-link.md)`.',
      '```ts',
      '[nor](this.md)',
      '# not a heading',
      '```',
    ].join('\n')
    expect([...anchors(text)]).toEqual([
      'fetch-api-nextjs-hono',
      'nestjs-11-commonjs-12-esm-only',
      'nodehttp',
      'webhooks',
      'webhooks-1',
    ])
    expect(links(text)).toEqual([
      { line: 6, target: 'other.md#x' },
      { line: 6, target: '#webhooks-1' },
    ])
    expect(problem('docs/a.md', 'nope.md')).toMatch(/no file docs\/nope\.md/)
    expect(problem('docs/a.md', '../README.md#no-such-heading')).toMatch(/no heading/)
    expect(problem('docs/receiving.md', '#cost')).toBeNull()
  })

  it('README.md links to the guides and every guide is linked from docs/README.md', () => {
    const index = readDoc('docs/README.md')
    for (const file of docFiles().filter((f) => f.startsWith('docs/') && f !== 'docs/README.md')) {
      expect(index, `docs/README.md links to ${file}`).toContain(`](${file.slice('docs/'.length)})`)
    }
    expect(readDoc('README.md')).toContain('](docs/README.md)')
  })

  it.each(docFiles())('every relative link and anchor in %s resolves', (file) => {
    const broken = links(readDoc(file))
      .map(({ line, target }) => {
        const why = problem(file, target)
        return why === null ? null : `${file}:${line}: ${why}`
      })
      .filter((why) => why !== null)
    expect(broken).toEqual([])
  })
})
