import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from 'smartsupp-hook'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
const SECRET = 'example-webhook-secret-0123456789'

/** `npm run example:webhooks-express`'s command with PORT=0 and the secret (or none) in the environment. */
function startExample(secret: string | null): { child: ChildProcess; output: () => string } {
  const [bin, ...args] = (scripts['example:webhooks-express'] ?? '').split(' ')
  expect(bin).toBe('tsx')
  const child = spawn(join(root, 'node_modules/.bin/tsx'), args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      SMARTSUPP_WEBHOOK_SECRET: secret ?? undefined,
      SMARTSUPP_APP_ID: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  return { child, output: () => output }
}

function listening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output())?.[1]
      if (url !== undefined) resolve(url)
    }
    child.stdout?.on('data', check)
    child.on('exit', (code) => reject(new Error(`the example exited with ${code}:\n${output()}`)))
  })
}

let running: ChildProcess | null = null
afterEach(async () => {
  const child = running
  running = null
  if (child === null || child.exitCode !== null) return
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await exited
})

async function post(url: string, body: string, signature: string | null): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (signature !== null) headers[WEBHOOK_SIGNATURE_HEADER] = signature
  const response = await fetch(url, { method: 'POST', body, headers })
  await response.arrayBuffer()
  return response.status
}

describe('examples/webhooks-express', () => {
  it('verifies signed events over real HTTP, logs each once, de-duplicates re-deliveries, refuses bad signatures', {
    timeout: 60_000,
  }, async () => {
    const { child, output } = startExample(SECRET)
    running = child
    const url = await listening(child, output)
    expect(url).toMatch(/\/webhooks\/smartsupp$/)

    const replied = JSON.stringify(webhookFixtures['conversation.agent_replied']())
    const signed = await signWebhookBody(replied, SECRET)
    expect(await post(url, replied, signed)).toBe(200)
    // Smartsupp re-delivers; the same event, re-serialised with its keys in another order, is a duplicate.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(replied)).reverse()))
    expect(await post(url, reordered, await signWebhookBody(reordered, SECRET))).toBe(200)
    const joined = JSON.stringify(webhookFixtures['conversation.agent_joined']())
    expect(await post(url, joined, await signWebhookBody(joined, SECRET))).toBe(200)

    expect(await post(url, replied, await signWebhookBody(replied, 'another-secret'))).toBe(401)
    expect(await post(url, replied, null)).toBe(401)
    const broken = '{"event": 5, "data": {}}'
    expect(await post(url, broken, await signWebhookBody(broken, SECRET))).toBe(400)

    await new Promise((resolve) => setImmediate(resolve))
    const log = output()
    const handled = log.split('\n').filter((line) => line.startsWith('webhook conversation.agent_replied'))
    expect(handled).toEqual([
      'webhook conversation.agent_replied: conversation conv-001: "Hi Jana, yes: size M is in stock."',
    ])
    expect(log).toMatch(
      /duplicate conversation\.agent_replied \(smartsupp-webhook:881987:conversation\.agent_replied:conv-001:[0-9a-f]{16}\), already handled/,
    )
    expect(log).toContain('webhook conversation.agent_joined: conversation conv-001\n')
    expect(log).toMatch(/dead letter \(24 bytes\): Not a valid Smartsupp webhook event/)
    expect(log).not.toContain(SECRET)
  })

  it('without SMARTSUPP_WEBHOOK_SECRET it says how to set it and exits 1', { timeout: 60_000 }, async () => {
    const { child, output } = startExample(null)
    running = child
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(output()).toContain("SMARTSUPP_WEBHOOK_SECRET is not set: set it to the webhook app's secret")
    expect(output()).toContain('SMARTSUPP_WEBHOOK_SECRET=<secret> npm run example:webhooks-express')
  })
})
