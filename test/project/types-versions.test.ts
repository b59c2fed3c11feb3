import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { require?: { types?: string } }>
  typesVersions: Record<string, Record<string, string[]>>
  scripts: Record<string, string>
}

describe('types for node10 resolution ("module": "commonjs")', () => {
  it('maps every code subpath export to its CommonJS types in typesVersions, and nothing else', () => {
    // Data files (`./package.json`, the JSON Schemas) resolve by their path under node10 too.
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== '.' && !key.endsWith('.json'))
    const expected = Object.fromEntries(
      subpaths.map((key) => {
        const entry = pkg.exports[key] as { require: { types: string } }
        return [key.slice(2), [entry.require.types]]
      }),
    )
    expect(pkg.typesVersions['*']).toEqual(expected)
  })

  it('runs attw with no resolution mode ignored', () => {
    expect(pkg.scripts['check:package']).toMatch(/attw --pack \.$/)
    expect(pkg.scripts['check:package']).not.toMatch(/--profile|--ignore-rules/)
  })
})
