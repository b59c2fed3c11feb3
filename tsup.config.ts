import { existsSync } from 'node:fs'
import { defineConfig } from 'tsup'

/** Every public entry: the package root and its subpaths (see `exports` in package.json). */
const entries: Record<string, string> = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
  express: 'src/adapters/express.ts',
  node: 'src/adapters/node.ts',
  fetch: 'src/adapters/fetch.ts',
  nest: 'src/adapters/nest.ts',
}

// While subpaths are being written, build the ones that exist; the consumer smoke test fails on
// any subpath the package exports but the build did not produce.
const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)))

export default defineConfig({
  entry: present,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  splitting: true,
  treeshake: true,
})
