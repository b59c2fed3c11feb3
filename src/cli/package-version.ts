import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * This package's version, from the nearest `package.json` named `smartsupp-hook` above the running
 * script (`dist/cli.js` when installed, `src/cli/main.ts` in the repository); `unknown` if none.
 */
export function packageVersion(): string {
  try {
    const script = process.argv[1]
    if (script === undefined) return 'unknown'
    let dir = dirname(realpathSync(script))
    for (;;) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
        if (pkg.name === 'smartsupp-hook' && typeof pkg.version === 'string') return pkg.version
      }
      const parent = dirname(dir)
      if (parent === dir) return 'unknown'
      dir = parent
    }
  } catch {
    return 'unknown'
  }
}
