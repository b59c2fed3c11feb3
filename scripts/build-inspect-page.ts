// Builds the `smartsupp-hook inspect` page into dist/inspect-page/ (run by `npm run build`): the
// TypeScript under src/cli/inspect/page/ bundled by esbuild into one script, beside its HTML,
// CSS and icon. Nothing of it is a dependency of the package: the files ship in dist/.
import { copyFile, mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../', import.meta.url))
const source = join(root, 'src', 'cli', 'inspect', 'page')

/** The page's files and their sizes in bytes, after building them into `outDir`. */
export async function buildInspectPage(
  outDir = join(root, 'dist', 'inspect-page'),
): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true })
  await build({
    entryPoints: [join(source, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
  for (const file of ['index.html', 'app.css', 'icon.svg'])
    await copyFile(join(source, file), join(outDir, file))
  const sizes: Record<string, number> = {}
  for (const file of ['index.html', 'app.js', 'app.css', 'icon.svg'])
    sizes[file] = (await stat(join(outDir, file))).size
  return sizes
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildInspectPage()
  for (const [file, size] of Object.entries(sizes))
    process.stdout.write(`dist/inspect-page/${file} ${size} bytes\n`)
}
