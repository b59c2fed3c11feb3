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

  it('peers on io-ts and fp-ts, with express, @nestjs/common, @nestjs/core and fast-check optional', () => {
    expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual(
      ['@nestjs/common', '@nestjs/core', 'express', 'fast-check', 'fp-ts', 'io-ts'].sort(),
    )
    const optional = Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name)
      .sort()
    expect(optional).toEqual(['@nestjs/common', '@nestjs/core', 'express', 'fast-check'])
  })
})
