import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface PackageJson {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

const pkg: PackageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

describe('package.json', () => {
  it('has no runtime dependencies beyond its peers', () => {
    expect(pkg.dependencies).toBeUndefined()
  })

  it('peers on io-ts and fp-ts; frameworks, fast-check and the database drivers are optional', () => {
    expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual(
      [
        '@electric-sql/pglite',
        '@nestjs/common',
        '@nestjs/core',
        'express',
        'fast-check',
        'fp-ts',
        'io-ts',
        'pg',
      ].sort(),
    )
    const optional = Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name)
      .sort()
    expect(optional).toEqual([
      '@electric-sql/pglite',
      '@nestjs/common',
      '@nestjs/core',
      'express',
      'fast-check',
      'pg',
    ])
  })
})
