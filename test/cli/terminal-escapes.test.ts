// Every command's terminal output escapes control and bidi characters from payloads, file names
// and peers: a visitor named "\u202Egnp.exe" must not print the rest of a line backwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { conversation, webhookFixtures } from 'smartsupp-hook/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteEventStore } from '../../src/store/pglite-event-store.js'
import { runCli, startListener } from './cli-process.js'
import { appendAll, closedConversation } from './store-seed.js'

/** Raw bidi controls (embeddings, overrides, isolates, marks), line separators, C1 controls and ESC. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const RAW = /[\u001b\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
const HOSTILE = 'Eve \u202Egnp.exe\u2066 \u200F\u2028x\u009b31m'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smartsupp-cli-escapes-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const hostileConversation = () =>
  JSON.stringify(
    conversation()
      .visitor(HOSTILE)
      .with({ visitor: { name: HOSTILE } })
      .build(),
  )
const hostileEvent = () => {
  const event = webhookFixtures['conversation.contact_replied']()
  ;(event.data as { message: { content: string } }).message.content = HOSTILE
  return JSON.stringify(event)
}

describe('terminal output escapes bidi and control characters', { timeout: 90_000 }, () => {
  it('show (text, markdown, json) and check, for a conversation and a webhook event', async () => {
    const file = join(dir, `visitor-\u202Eeman.json`)
    writeFileSync(file, hostileConversation())
    const runs = await Promise.all([
      runCli(['show', file]),
      runCli(['show', '--format', 'markdown', file]),
      runCli(['show', '--format', 'json', file]),
      runCli(['show', '-'], { stdin: hostileEvent() }),
      runCli(['show', '--format', 'json', '-'], { stdin: hostileEvent() }),
      runCli(['check', file, '-'], { stdin: hostileEvent() }),
    ])
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0)
      expect(RAW.test(r.stdout + r.stderr), r.stdout).toBe(false)
    }
    expect(runs[0]?.stdout).toContain('Eve \\u202egnp.exe\\u2066')
    expect(runs[5]?.stdout).toContain('visitor-\\u202eeman.json')
    // JSON stays JSON, with the same text: the escapes are JSON's own.
    const json = JSON.parse(runs[2]?.stdout ?? '') as { summary: { visitor: { name: string } } }
    expect(JSON.stringify(json)).toContain('\u202E')
    expect(JSON.parse(runs[4]?.stdout ?? '').summary.text).toBe(HOSTILE)
  })

  it('send prints an answer holding them escaped', async () => {
    const server = createServer((_req, res) => res.writeHead(400).end(`{"error":"${HOSTILE}"}`))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
      const r = await runCli(['send', url])
      expect(r.code).toBe(1)
      expect(RAW.test(r.stdout + r.stderr)).toBe(false)
      expect(r.stdout).toContain('\\u202egnp.exe')
    } finally {
      server.close()
    }
  })

  it('listen prints the line of a delivery holding them escaped; replay prints a file name holding them escaped', async () => {
    const out = join(dir, 'captured')
    const listener = await startListener(['--out', out, '--count', '1'])
    const res = await fetch(`http://127.0.0.1:${listener.port}/`, {
      method: 'POST',
      body: hostileConversation(),
    })
    expect(res.status).toBe(200)
    const done = await listener.done
    expect(done.code).toBe(0)
    expect(RAW.test(done.stdout + done.stderr)).toBe(false)
    expect(done.stdout).toContain('Eve \\u202egnp.exe')

    const replayDir = join(dir, 'replay')
    mkdirSync(replayDir)
    writeFileSync(join(replayDir, `a-\u202Eeman.json`), hostileEvent())
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(422).end(`{"error":"${HOSTILE}"}`))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
      const r = await runCli(['replay', replayDir, '--url', url])
      expect(r.code).toBe(1)
      expect(RAW.test(r.stdout + r.stderr)).toBe(false)
      expect(r.stdout).toContain('a-\\u202eeman.json')
    } finally {
      server.close()
    }
  })

  it('store list and store show (text and --json), for a conversation id holding them', async () => {
    const dataDir = join(dir, 'store')
    const store = pgliteEventStore({ dataDir })
    const id = 'conv-\u202Eevil\u2066'
    try {
      await appendAll(store, closedConversation(id))
    } finally {
      await store.close()
    }
    const list = await runCli(['store', 'list', '--store', dataDir])
    const listJson = await runCli(['store', 'list', '--json', '--store', dataDir])
    const show = await runCli(['store', 'show', id, '--store', dataDir])
    const showJson = await runCli(['store', 'show', id, '--json', '--store', dataDir])
    for (const r of [list, listJson, show, showJson]) {
      expect(r.code, r.stderr).toBe(0)
      expect(RAW.test(r.stdout + r.stderr), r.stdout).toBe(false)
    }
    expect(list.stdout).toContain('conv-\\u202eevil\\u2066')
    expect((JSON.parse(listJson.stdout) as { conversationId: string }[])[0]?.conversationId).toBe(id)
  })
})
