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
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
})
