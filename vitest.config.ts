import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url))

export default defineConfig({
  resolve: {
    // Tests, examples and scripts import the package by its name, as users do; here the name
    // points at the sources (tsconfig.json `paths` does the same for tsc and tsx).
    alias: [
      { find: /^smartsupp-hook$/, replacement: src('index.ts') },
      { find: /^smartsupp-hook\/testing$/, replacement: src('testing/index.ts') },
      { find: /^smartsupp-hook\/testing\/arbitraries$/, replacement: src('testing/arbitraries.ts') },
      { find: /^smartsupp-hook\/(express|node|fetch|nest)$/, replacement: src('adapters/$1.ts') },
      { find: /^smartsupp-hook\/store$/, replacement: src('store/index.ts') },
      { find: /^smartsupp-hook\/store\/(pglite|postgres)$/, replacement: src('store/$1-event-store.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL server for the store tests when SMARTSUPP_TEST_POSTGRES_URL is unset.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Real servers, child processes and property tests on a 2-core machine: 5 s is too tight when
    // the machine is busy. A hung test still fails; no test asserts a time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
})
