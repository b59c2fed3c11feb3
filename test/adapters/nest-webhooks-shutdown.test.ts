// SmartsuppWebhookModule on application shutdown: it stops the exports, then (after Nest closed
// the HTTP server, and the running exports ended) closes the store it was given, so an embedded store's directory is free
// the moment app.close() resolves; with closeStoreOnShutdown: false it leaves the store open.
import 'reflect-metadata'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DynamicModule, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { signWebhookBody } from 'smartsupp-hook'
import { SmartsuppWebhookModule, type SmartsuppWebhookModuleOptions } from 'smartsupp-hook/nest'
import { memoryEventStore } from 'smartsupp-hook/store'
import { pgliteEventStore } from 'smartsupp-hook/store/pglite'
import { webhookFixtures } from 'smartsupp-hook/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { acquireDirectoryLock } from '../../src/store/acquire-directory-lock.js'
import type { EventStore } from '../../src/store/event-store.js'

const SECRET = 'nest-shutdown-secret-0123456789'
const root = mkdtempSync(join(tmpdir(), 'smartsupp-nest-shutdown-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function appModule(webhooks: DynamicModule): new () => unknown {
  class AppModule {}
  Module({ imports: [webhooks] })(AppModule)
  return AppModule
}

async function startApp(options: Omit<SmartsuppWebhookModuleOptions, 'path' | 'secret'>) {
  const app = await NestFactory.create(
    appModule(SmartsuppWebhookModule.forRoot({ path: '/webhooks', secret: SECRET, ...options })),
    { logger: false, abortOnError: false },
  )
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return { app, url: `http://127.0.0.1:${port}/webhooks` }
}

async function deliver(url: string): Promise<number> {
  const body = JSON.stringify(webhookFixtures['conversation.closed']())
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-smartsupp-hmac': await signWebhookBody(body, SECRET) },
    body,
  })
  await res.arrayBuffer()
  return res.status
}

/** A store that records its closing and every claim (the sweep's work). */
function recordingStore(): { store: EventStore; claims: () => number; closed: () => boolean } {
  const inner = memoryEventStore()
  let claims = 0
  let closed = false
  return {
    store: {
      ...inner,
      claimFinished: (o) => {
        claims++
        return inner.claimFinished(o)
      },
      close: async () => {
        closed = true
        await inner.close()
      },
    },
    claims: () => claims,
    closed: () => closed,
  }
}

describe('SmartsuppWebhookModule on application shutdown', { timeout: 60_000 }, () => {
  it('app.close(): the sweep stops and the store is closed', async () => {
    const rec = recordingStore()
    const { app, url } = await startApp({
      store: rec.store,
      onConversationFinished: () => undefined,
      settleMs: 60_000,
      sweepIntervalMs: 10,
    })
    expect(await deliver(url)).toBe(200)
    // The sweep runs (the delivery started it).
    const before = rec.claims()
    await new Promise((r) => setTimeout(r, 100))
    expect(rec.claims()).toBeGreaterThan(before)
    await app.close()
    expect(rec.closed()).toBe(true)
    const after = rec.claims()
    await new Promise((r) => setTimeout(r, 100))
    expect(rec.claims()).toBe(after)
  })

  it('a delivery in flight during app.close() neither restarts the sweep nor claims on the closing store', async () => {
    const rec = recordingStore()
    let entered!: () => void
    const inFlight = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const exportErrors: unknown[] = []
    const { app, url } = await startApp({
      store: rec.store,
      onEvent: async () => {
        entered()
        await gate
      },
      onConversationFinished: () => undefined,
      onExportError: (e) => exportErrors.push(e),
      settleMs: 0,
      sweepIntervalMs: 10,
    })
    const answered = deliver(url)
    await inFlight
    const closing = app.close()
    // Nest has run beforeApplicationShutdown and is waiting for the HTTP server's connections.
    await new Promise((r) => setTimeout(r, 50))
    const atShutdown = rec.claims()
    release()
    expect(await answered).toBe(200)
    await closing
    expect(rec.closed()).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(rec.claims()).toBe(atShutdown)
    expect(exportErrors).toEqual([])
  })

  it('closeStoreOnShutdown: false leaves the store open (the sweep still stops)', async () => {
    const rec = recordingStore()
    const { app, url } = await startApp({
      store: rec.store,
      onConversationFinished: () => undefined,
      settleMs: 60_000,
      sweepIntervalMs: 10,
      closeStoreOnShutdown: false,
    })
    expect(await deliver(url)).toBe(200)
    await app.close()
    expect(rec.closed()).toBe(false)
    const after = rec.claims()
    await new Promise((r) => setTimeout(r, 100))
    expect(rec.claims()).toBe(after)
  })

  it('on pgliteEventStore: once app.close() resolves, the directory is free for another opener', async () => {
    const dataDir = join(root, 'events')
    const { app, url } = await startApp({ store: pgliteEventStore({ dataDir }) })
    expect(await deliver(url)).toBe(200)
    await expect(acquireDirectoryLock(dataDir)).rejects.toThrow(/is in use by this process/)
    await app.close()
    const lock = await acquireDirectoryLock(dataDir)
    await lock.release()
  })

  it('app.close() while an export runs: it finishes and is recorded before the store closes', async () => {
    const rec = recordingStore()
    let started = false
    let finished = false
    let closedBeforeFinished: boolean | null = null
    let markedOpen = false
    const store: EventStore = {
      ...rec.store,
      markExported: async (claim, exported) => {
        const marked = await rec.store.markExported(claim, exported)
        markedOpen = marked && !rec.closed()
        return marked
      },
    }
    const { app, url } = await startApp({
      store,
      settleMs: 0,
      sweepIntervalMs: 10,
      exportWaitMs: 0,
      onConversationFinished: async () => {
        started = true
        await new Promise((r) => setTimeout(r, 300))
        closedBeforeFinished = rec.closed()
        finished = true
      },
    })
    expect(await deliver(url)).toBe(200)
    while (!started) await new Promise((r) => setTimeout(r, 5))
    await app.close()
    expect(finished).toBe(true)
    expect(closedBeforeFinished).toBe(false)
    expect(markedOpen).toBe(true)
    expect(rec.closed()).toBe(true)
  })

  it('closeStoreOnShutdown must be a boolean', async () => {
    await expect(
      startApp({ store: memoryEventStore(), closeStoreOnShutdown: 'yes' as unknown as boolean }),
    ).rejects.toThrow('closeStoreOnShutdown must be true or false')
  })
})
