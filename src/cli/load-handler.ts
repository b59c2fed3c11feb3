import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { OnConversationFinished } from '../store/export-finished.js'
import { CliError } from './cli-error.js'
import { machinePathNames, withoutMachinePaths } from './machine-paths.js'

/** A handler module: its default export or `onConversationFinished`, and an optional `close`. */
export interface Handler {
  readonly onConversationFinished: OnConversationFinished
  readonly close: (() => unknown) | null
}

const TYPESCRIPT = /\.(c|m)?ts$/i

/**
 * Imports `export --handler`'s module and finds its function. A TypeScript file (`.ts`, `.mts`,
 * `.cts`) loads where the runtime can (a Node that strips types, or one started with `--import
 * tsx`); otherwise through `tsx` when it is installed where the handler or the working directory
 * can resolve it; otherwise the error says how (`npm i -D tsx`). Errors name the file as typed,
 * never an absolute path of this machine.
 */
export async function loadHandler(file: string): Promise<Handler> {
  const path = resolve(file)
  const names = machinePathNames([[path, file]])
  const fail = (reason: string) => new CliError(`cannot load --handler ${file}: ${reason}`)
  try {
    if (!(await stat(path)).isFile()) throw fail('not a file')
  } catch (e) {
    if (e instanceof CliError) throw e
    const code = (e as { code?: unknown }).code
    throw fail(code === 'ENOENT' ? 'no such file' : withoutMachinePaths(String((e as Error).message), names))
  }
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (e) {
    const code = (e as { code?: unknown }).code
    if (!(TYPESCRIPT.test(file) && code === 'ERR_UNKNOWN_FILE_EXTENSION')) {
      throw fail(withoutMachinePaths(firstLine(e), names))
    }
    module = await importTypeScript(path, file, names)
  }
  const found = handlerIn(module) ?? handlerIn(module.default)
  if (found === null) {
    throw new CliError(
      `--handler ${file} exports no function: export default async function (conversation, context) { … } (or export it as onConversationFinished)`,
    )
  }
  return found
}

/** The handler in a module namespace (or, for a CommonJS module, in its `module.exports`). */
function handlerIn(module: unknown): Handler | null {
  if (module === null || (typeof module !== 'object' && typeof module !== 'function')) return null
  const m = module as Record<string, unknown>
  const fn =
    typeof m.default === 'function'
      ? m.default
      : typeof m.onConversationFinished === 'function'
        ? m.onConversationFinished
        : null
  if (fn === null) return null
  return {
    onConversationFinished: fn as OnConversationFinished,
    close: typeof m.close === 'function' ? (m.close as () => unknown) : null,
  }
}

/**
 * The file of `tsx`'s ESM API (`tsx/esm/api`, its `import` condition) as installed where the
 * handler's directory or the working directory resolves packages, or `null`.
 */
function tsxApi(path: string): string | null {
  for (const from of [path, join(process.cwd(), 'noop.js')]) {
    try {
      const manifest = createRequire(from).resolve('tsx/package.json')
      const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        exports?: Record<string, unknown>
      }
      const entry = exports?.['./esm/api'] as string | { import?: string | { default?: string } } | undefined
      const file =
        typeof entry === 'string'
          ? entry
          : typeof entry?.import === 'string'
            ? entry.import
            : entry?.import?.default
      if (typeof file === 'string') return join(dirname(manifest), file)
    } catch {
      // Not installed there (or not a tsx this understands): try the next place.
    }
  }
  return null
}

/** A TypeScript handler this runtime cannot load by itself: through tsx when installed, else the fix. */
async function importTypeScript(
  path: string,
  file: string,
  names: ReturnType<typeof machinePathNames>,
): Promise<Record<string, unknown>> {
  const api = tsxApi(path)
  if (api === null) {
    const strip =
      Number(process.versions.node.split('.')[0]) >= 22
        ? ', or let Node strip the types: NODE_OPTIONS=--experimental-strip-types before the same command'
        : ''
    throw new CliError(
      `cannot load --handler ${file}: Node ${process.versions.node} cannot run TypeScript by itself. Install tsx beside it, npm i -D tsx, and run the same command again (smartsupp-hook then loads .ts handlers through it)${strip}; or compile the handler to JavaScript (.mjs) and pass that`,
    )
  }
  try {
    const { tsImport } = (await import(pathToFileURL(api).href)) as {
      tsImport: (specifier: string, parentURL: string) => Promise<Record<string, unknown>>
    }
    return await tsImport(pathToFileURL(path).href, import.meta.url)
  } catch (e) {
    throw new CliError(
      `cannot load --handler ${file} (through tsx): ${withoutMachinePaths(firstLine(e), names)}`,
    )
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  return text.split('\n')[0] ?? ''
}
