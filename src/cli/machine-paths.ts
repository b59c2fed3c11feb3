import { homedir } from 'node:os'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from './package-root.js'

/** Absolute paths and what to write instead, longest first. */
export type PathNames = readonly (readonly [absolute: string, shown: string])[]

const FILE_URL = /file:\/\/[^\s'"`)]+/g
const IMPORTED_FROM = / imported from (\S+?)(?=[\s'"`)]|$)/g

function withoutTrailingSep(path: string): string {
  return path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path
}

/**
 * The names this machine's directories are shown by: the working directory as `.`, this
 * package's own directory as `smartsupp-hook`, the home directory as `~`, plus `extra` (e.g. a
 * file's absolute path → the path the user typed). Longer paths first, so the most specific wins;
 * the working directory wins a tie.
 */
export function machinePathNames(extra: PathNames = []): PathNames {
  const names: [string, string][] = []
  const add = (absolute: string | null, shown: string) => {
    if (absolute === null || absolute === '' || absolute === sep) return
    const path = withoutTrailingSep(absolute)
    if (!names.some(([known]) => known === path)) names.push([path, shown])
  }
  for (const [absolute, shown] of extra) add(absolute, shown)
  add(process.cwd(), '.')
  add(packageRoot()?.dir ?? null, 'smartsupp-hook')
  let home: string | null = null
  try {
    home = homedir()
  } catch {
    home = null
  }
  add(home, '~')
  return names.sort((a, b) => b[0].length - a[0].length)
}

/**
 * Text from an error (Node's, a module's) without the absolute paths of this machine: `file://`
 * URLs become paths, "imported from <a file of this package>" is dropped (it names our own
 * module, not the user's), and every path under a directory of `names` is written from that
 * name (`./handlers/x.mjs`, `~/app/x.mjs`). Other text is left as it is.
 */
export function withoutMachinePaths(text: string, names: PathNames = machinePathNames()): string {
  let out = text.replace(FILE_URL, (url) => {
    try {
      return fileURLToPath(url)
    } catch {
      return url
    }
  })
  const own = names.find(([, shown]) => shown === 'smartsupp-hook')?.[0]
  if (own !== undefined) {
    out = out.replace(IMPORTED_FROM, (clause, path: string) =>
      path === own || path.startsWith(`${own}${sep}`) ? '' : clause,
    )
  }
  for (const [absolute, shown] of names) {
    let at = out.indexOf(absolute)
    while (at >= 0) {
      const next = out[at + absolute.length]
      const before = at === 0 ? undefined : out[at - 1]
      // Only a whole path or a path below it: /work/app does not match /work/application.
      const whole = next === undefined || next === sep || !/[\w.-]/.test(next)
      const starts = before === undefined || !/[\w.~-]/.test(before)
      if (whole && starts) {
        const replacement = next === sep && shown === '.' ? '.' : shown
        out = out.slice(0, at) + replacement + out.slice(at + absolute.length)
        at = out.indexOf(absolute, at + replacement.length)
      } else at = out.indexOf(absolute, at + 1)
    }
  }
  return out
}
