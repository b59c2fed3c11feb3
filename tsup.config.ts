import { defineConfig } from 'tsup'

/** Every public entry: the package root and its subpaths (see `exports` in package.json). */
const entries: Record<string, string> = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
  'testing-arbitraries': 'src/testing/arbitraries.ts',
  express: 'src/adapters/express.ts',
  node: 'src/adapters/node.ts',
  fetch: 'src/adapters/fetch.ts',
  nest: 'src/adapters/nest.ts',
  store: 'src/store/index.ts',
  'store-pglite': 'src/store/pglite-event-store.ts',
  'store-postgres': 'src/store/postgres-event-store.ts',
  cli: 'src/cli/main.ts',
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  splitting: true,
  treeshake: true,
})
