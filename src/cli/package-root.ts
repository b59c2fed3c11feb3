import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The directory of this package's `package.json` (the nearest one named `smartsupp-hook` above the
 * running script: `dist/cli.js` when installed, `src/cli/main.ts` in the repository), with what it
 * says; `null` when there is none.
 */
export function packageRoot(): { readonly dir: string; readonly version: unknown } | null {
  try {
    const script = process.argv[1]
    if (script === undefined) return null
    let dir = dirname(realpathSync(script))
    for (;;) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
        if (pkg.name === 'smartsupp-hook') return { dir, version: pkg.version }
      }
      const parent = dirname(dir)
      if (parent === dir) return null
      dir = parent
    }
  } catch {
    return null
  }
}
