// `npx smartsupp-hook inspect --secret s` from the installed tarball, on a fresh install (no
// @electric-sql/pglite, no browser package): it serves its page and the page's assets from the
// package itself, receives a signed webhook, and stops on SIGTERM. Any failure exits non-zero.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { signWebhookBody } from 'smartsupp-hook'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
// Its own process group, so stopping it reaches the command npx started too (npx does not forward SIGTERM).
const child = spawn(npx, ['--no', '--', 'smartsupp-hook', 'inspect', '--secret', 's', '--port', '0'], {
  detached: true,
})
const closed = new Promise((resolve) => child.on('close', resolve))
const stop = (signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}
const timer = setTimeout(() => stop('SIGKILL'), 60_000)
let stdout = ''
let stderr = ''
child.stderr.setEncoding('utf8').on('data', (s) => {
  stderr += s
})
try {
  const base = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (s) => {
      stdout += s
      const m = /inspect: open (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)
      if (m && stdout.includes('  kept ')) resolve(m[1])
    })
    void closed.then((code) => reject(new Error(`inspect ended (${code}) before listening: ${stderr}`)))
  })
  // A fresh install has no PGlite: the store is in memory, and it says how to keep it on disk.
  assert.match(
    stdout,
    /store {6}memory \(events are kept in memory only \(no @electric-sql\/pglite installed\)/,
  )
  const page = await fetch(`${base}/`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  const html = await page.text()
  for (const asset of ['/app.js', '/app.css', '/icon.svg']) {
    assert.ok(html.includes(asset), `the page links ${asset}`)
    const response = await fetch(`${base}${asset}`)
    assert.equal(response.status, 200, asset)
    assert.ok((await response.arrayBuffer()).byteLength > 100, `${asset} is not empty`)
  }
  const body = JSON.stringify({
    event: 'conversation.opened',
    timestamp: '2026-05-01T10:00:00Z',
    account_id: '1',
    app_id: 'a',
    data: { conversation: { id: 'c-1' } },
  })
  const sent = await fetch(`${base}/webhooks/smartsupp`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-smartsupp-hmac': await signWebhookBody(body, 's') },
  })
  assert.equal(sent.status, 200)
  const [delivery] = await (await fetch(`${base}/api/deliveries`)).json()
  assert.deepEqual(delivery.signature, { kind: 'valid', secretIndex: 0, secretCount: 1 })
  stop('SIGTERM')
  await closed
  // Stopped: nothing listens there any more.
  await assert.rejects(fetch(`${base}/`))
} finally {
  clearTimeout(timer)
  stop('SIGKILL')
}
console.log('inspect: npx smartsupp-hook inspect --secret s served the page, its assets and a signed webhook')
