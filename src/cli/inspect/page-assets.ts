import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CliError } from '../cli-error.js'
import { withoutMachinePaths } from '../machine-paths.js'
import { packageRoot } from '../package-root.js'

/** Where `npm run build` puts the page, inside the package: `dist/inspect-page/`. */
export const PAGE_DIR = join('dist', 'inspect-page')

/** The page's files, by the path they are served at, with their content types. */
export const PAGE_FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
} as const

/** A path the page is served at. */
export type PagePath = keyof typeof PAGE_FILES

/** The page's files, read once when `inspect` starts. */
export type PageAssets = ReadonlyMap<PagePath, { readonly body: Buffer; readonly type: string }>

/**
 * Reads the page built at package build time (static files, no framework, nothing fetched from a
 * network) from this package's `dist/inspect-page/`. Only `inspect` calls it, so the library and
 * the other commands never load them. A missing file is named as the CLI names paths (from the
 * package, the working directory or home), never by this machine's absolute path.
 */
export async function loadPageAssets(dir: string | null = null): Promise<PageAssets> {
  const root = dir ?? (packageRoot()?.dir === undefined ? null : join(packageRoot()?.dir as string, PAGE_DIR))
  if (root === null)
    throw new CliError('cannot find the inspect page: no smartsupp-hook package.json above this script')
  const assets = new Map<PagePath, { body: Buffer; type: string }>()
  for (const [path, { file, type }] of Object.entries(PAGE_FILES) as [
    PagePath,
    { file: string; type: string },
  ][]) {
    try {
      assets.set(path, { body: await readFile(join(root, file)), type })
    } catch {
      throw new CliError(
        `the inspect page is missing (${withoutMachinePaths(join(root, file))}): it is built with the package (npm run build in a clone of the repository)`,
      )
    }
  }
  return assets
}
