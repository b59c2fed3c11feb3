import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The directory of this package's `package.json` (named `smartsupp-hook`), the nearest above the
 * running script (`dist/cli.js` when installed, `src/cli/main.ts` in the repository); `null` if none.
 */
export function packageRoot(): string | null {
  return packageJson()?.dir ?? null
}

/** This package's version, from its `package.json` (see `packageRoot`); `unknown` if none. */
export function packageVersion(): string {
  return packageJson()?.version ?? 'unknown'
}

function packageJson(): { readonly dir: string; readonly version: string } | null {
  try {
    const script = process.argv[1]
    if (script === undefined) return null
    let dir = dirname(realpathSync(script))
    for (;;) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
        if (pkg.name === 'smartsupp-hook' && typeof pkg.version === 'string')
          return { dir, version: pkg.version }
      }
      const parent = dirname(dir)
      if (parent === dir) return null
      dir = parent
    }
  } catch {
    return null
  }
}
