import { rmSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'

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
}

const shared: Options = {
  outDir: 'dist',
  sourcemap: false,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // The two builds run at once, so neither may clean: dist is emptied once, below.
  clean: false,
}

export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true })
  return [
    // ESM: every entry, and the CLI (`bin` is dist/cli.js), whose commands load lazily.
    { ...shared, entry: { ...entries, cli: 'src/cli/main.ts' }, format: ['esm'], dts: { entry: entries } },
    // CommonJS, for `require` and the `exports` "require" condition: no CLI, and no dynamic
    // `import()`, which Jest's CommonJS runtime refuses without --experimental-vm-modules: esbuild
    // turns each into a `require` (the testing kit loads node:http that way).
    {
      ...shared,
      entry: entries,
      format: ['cjs'],
      dts: true,
      esbuildOptions(options) {
        options.supported = { ...options.supported, 'dynamic-import': false }
      },
    },
  ]
})
