import { packageRoot } from './package-root.js'

/**
 * This package's version, from the nearest `package.json` named `smartsupp-hook` above the running
 * script (`dist/cli.js` when installed, `src/cli/main.ts` in the repository); `unknown` if none.
 */
export function packageVersion(): string {
  const version = packageRoot()?.version
  return typeof version === 'string' ? version : 'unknown'
}
