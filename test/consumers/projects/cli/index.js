// The `smartsupp-hook` command from the installed tarball, run through npx as users do, and the
// `smartsupp-hook/testing` subpath in a project without fast-check. Any failure exits non-zero.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { conversation, fixtures, postConversation } from 'smartsupp-hook/testing'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
// `npx smartsupp-hook …` as users type it; `--no --` keeps npx from fetching a package of that name
// from the registry if the bin were missing, and from reading `--help` as its own option.
const npxArgs = (args) => ['--no', '--', 'smartsupp-hook', ...args]
function cli(args, input) {
  const r = spawnSync(npx, npxArgs(args), { encoding: 'utf8', input, timeout: 60_000 })
  if (r.error) throw r.error
  return r
}

const help = cli(['--help'])
assert.equal(help.status, 0, help.stderr)
assert.match(help.stdout, /Usage: smartsupp-hook <command>/)

const pkg = JSON.parse(
  readFileSync(new URL('./node_modules/smartsupp-hook/package.json', import.meta.url), 'utf8'),
)
assert.equal(cli(['--version']).stdout.trim(), pkg.version)

const check = cli(['check', 'payload.json'])
assert.equal(check.status, 0, check.stdout + check.stderr)
assert.match(check.stdout, /^ok {4}payload\.json: conversation 55039, 6 messages$/m)
assert.equal(cli(['check', '--strict', '-'], '{"accountId": "x"}').status, 1)
const usage = cli(['check', '--nope'])
assert.equal(usage.status, 2)
// One line from the CLI (npm may add its own "npm warn" lines).
const own = usage.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm '))
assert.deepEqual(own, ['smartsupp-hook: check: unknown option --nope (see smartsupp-hook check --help)'])

const show = cli(['show', '--tz', 'Europe/Prague', 'payload.json'])
assert.equal(show.status, 0, show.stderr)
assert.match(show.stdout, /\[2015-03-27 16:33:59 UTC\+01:00\] Dusan Kmet: Hello/)

// send → listen, the captured body byte-identical to the file.
const out = mkdtempSync(join(tmpdir(), 'consumer-cli-'))
// Same `--no --` as every other run; killed on any failure so no listener outlives this script.
const listener = spawn(npx, npxArgs(['listen', '--port', '0', '--count', '1', '--out', out]))
const closed = new Promise((resolve) => listener.on('close', resolve))
const timer = setTimeout(() => listener.kill(), 60_000)
try {
  const port = await new Promise((resolve, reject) => {
    let text = ''
    listener.stdout.setEncoding('utf8').on('data', (s) => {
      text += s
      const m = /127\.0\.0\.1:(\d+)/.exec(text)
      if (m) resolve(Number(m[1]))
    })
    void closed.then((code) => reject(new Error(`listen ended (${code}) before listening`)))
  })
  const send = cli(['send', `http://127.0.0.1:${port}/hook`, 'payload.json'])
  assert.equal(send.status, 0, send.stdout + send.stderr)
  assert.equal(await closed, 0)
  const [saved] = readdirSync(out)
  assert.ok(readFileSync(join(out, saved)).equals(readFileSync('payload.json')), 'captured byte for byte')
} finally {
  clearTimeout(timer)
  if (listener.exitCode === null && listener.signalCode === null) listener.kill()
  rmSync(out, { recursive: true, force: true })
}

// The testing subpath loads without fast-check (an optional peer), in ESM and CommonJS.
await assert.rejects(import('fast-check'))
const built = conversation()
  .visitor('Hello')
  .join(3, 'John Doe')
  .agent(3, 'Hi, how can I help?')
  .visitorClose()
  .build()
assert.equal(built.channel.firstResponse, 10)
assert.equal(fixtures.documentedExample().channel.id, 55039)
const response = await postConversation(async (request) => new Response(await request.text()), built)
assert.deepEqual(await response.json(), built)
const testing = createRequire(import.meta.url)('smartsupp-hook/testing')
assert.equal(testing.fixtures.missed().channel.isMissed, true)

console.log(
  `cli: --help, --version ${pkg.version}, check, show, send → listen; testing subpath without fast-check`,
)
