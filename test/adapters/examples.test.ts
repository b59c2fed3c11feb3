import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { exampleBody } from './support/example-body.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
const TOKEN = 'example-secret-0123456789'

/**
 * Runs `npm run <script>`'s command (a tsx call) with PORT=0, resolving once it prints its URL;
 * `token` is SMARTSUPP_HOOK_TOKEN, or `null` to leave it unset.
 */
function startExample(
  script: string,
  token: string | null = TOKEN,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const command = scripts[script]
  if (command === undefined) throw new Error(`package.json has no script ${script}`)
  const [bin, ...args] = command.split(' ')
  expect(bin).toBe('tsx')
  const child = spawn(join(root, 'node_modules/.bin/tsx'), args, {
    cwd: root,
    env: { ...process.env, PORT: '0', SMARTSUPP_HOOK_TOKEN: token ?? undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output)
      // The example prints a placeholder, never the secret itself.
      if (match?.[1] !== undefined)
        resolve({ child, url: match[1].replace('<SMARTSUPP_HOOK_TOKEN>', token ?? ''), output: () => output })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)))
  })
}

const examples = ['example:express', 'example:node-http', 'example:fetch', 'example:nest']

let running: ChildProcess | null = null
afterEach(async () => {
  const child = running
  running = null
  if (child === null || child.exitCode !== null) return
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await exited
})

describe('examples/: each starts with its npm script and decodes the documented example over real HTTP', () => {
  it.each(examples)('%s', { timeout: 60_000 }, async (script) => {
    const { child, url, output } = await startExample(script)
    running = child
    expect(url).toContain(TOKEN)
    expect(output()).not.toContain(TOKEN)
    const ok = await fetch(url, { method: 'POST', body: exampleBody })
    expect(ok.status).toBe(200)
    const bad = await fetch(url, { method: 'POST', body: '{"accountId":"x"}' })
    expect(bad.status).toBe(400)
    const wrong = await fetch(url.replace(TOKEN, 'wrong'), { method: 'POST', body: exampleBody })
    expect(wrong.status).toBe(401)
    // Logs are written before the answer is sent, so they are in by now.
    await new Promise((resolve) => setImmediate(resolve))
    expect(output()).toContain('conversation 55039: 6 messages, visitor Dusan Kmet')
    expect(output()).toMatch(/dead letter \(17 bytes\): Not a valid Smartsupp conversation/)
  })
})

/** A token crypto.randomUUID() would make. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

describe('examples/: without SMARTSUPP_HOOK_TOKEN, each says how to set it and never prints its token', () => {
  it.each(examples)('%s', { timeout: 60_000 }, async (script) => {
    const { child, url, output } = await startExample(script, null)
    running = child
    expect(output()).toContain(`SMARTSUPP_HOOK_TOKEN is not set`)
    expect(output()).toContain(`SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run ${script}`)
    expect(output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\S*<SMARTSUPP_HOOK_TOKEN>/)
    expect(output()).not.toMatch(UUID)
    // A token is still checked: the printed URL, placeholder and all, is refused.
    const placeholder = url.endsWith('=')
      ? `${url}<SMARTSUPP_HOOK_TOKEN>`
      : `${url}%3CSMARTSUPP_HOOK_TOKEN%3E`
    expect((await fetch(placeholder, { method: 'POST', body: exampleBody })).status).toBe(401)
    await new Promise((resolve) => setImmediate(resolve))
    expect(output()).not.toMatch(UUID)
  })
})
