// The store option through smartsuppWebhook on Express 5 and Express 4 (test/adapters/support/store-receiver-contract.ts).
import { createServer } from 'node:http'
import express from 'express'
import express4 from 'express4'
import { smartsuppWebhook } from 'smartsupp-hook/express'
import { listen } from './support/listen.js'
import { describeStoreReceiver } from './support/store-receiver-contract.js'

for (const [name, e] of [
  ['Express 5', express],
  ['Express 4', express4 as unknown as typeof express],
] as const) {
  describeStoreReceiver(`${name}, smartsuppWebhook`, async (options) => {
    const app = e()
    app.use('/hooks/smartsupp', smartsuppWebhook(options))
    app.use(e.json())
    return listen(createServer(app))
  })
}
