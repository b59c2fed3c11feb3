import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const project = mkdtempSync(join(tmpdir(), 'schema-export-'))
mkdirSync(join(project, 'node_modules'))
// The package as an installed dependency of a throwaway project.
symlinkSync(root, join(project, 'node_modules', 'smartsupp-hook'), 'dir')
afterAll(() => rmSync(project, { recursive: true, force: true }))

describe('smartsupp-hook/schemas/post-hook.json resolves', () => {
  it('with Node (require and the exports map)', () => {
    const require = createRequire(join(project, 'index.js'))
    for (const name of ['post-hook.json', 'post-hook-legacy.json', 'webhook-event.json']) {
      const resolved = require.resolve(`smartsupp-hook/schemas/${name}`)
      expect(resolved.endsWith(join('schemas', name))).toBe(true)
      expect(require(`smartsupp-hook/schemas/${name}`).$schema).toBe(
        'https://json-schema.org/draft/2020-12/schema',
      )
    }
  })

  it('with TypeScript under node10, node16, nodenext and bundler resolution', () => {
    const modes = {
      node10: { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS },
      node16: { moduleResolution: ts.ModuleResolutionKind.Node16, module: ts.ModuleKind.Node16 },
      nodenext: { moduleResolution: ts.ModuleResolutionKind.NodeNext, module: ts.ModuleKind.NodeNext },
      bundler: { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext },
    }
    for (const [mode, options] of Object.entries(modes)) {
      const resolved = ts.resolveModuleName(
        'smartsupp-hook/schemas/post-hook.json',
        join(project, 'index.ts'),
        { ...options, resolveJsonModule: true },
        ts.sys,
      ).resolvedModule
      expect(resolved?.resolvedFileName.endsWith('schemas/post-hook.json'), mode).toBe(true)
    }
  })
})
