// The store option through SmartsuppWebhookModule in a Nest app with Nest's defaults
// (test/adapters/support/store-receiver-contract.ts).
import 'reflect-metadata'
import type { AddressInfo } from 'node:net'
import { type DynamicModule, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { SmartsuppWebhookModule } from 'smartsupp-hook/nest'
import { describeStoreReceiver } from './support/store-receiver-contract.js'

function appModule(webhooks: DynamicModule): new () => unknown {
  class AppModule {}
  Module({ imports: [webhooks] })(AppModule)
  return AppModule
}

describeStoreReceiver('NestJS 11, SmartsuppWebhookModule', async (options) => {
  // abortOnError: false, so a wrong option rejects here instead of ending the process.
  const app = await NestFactory.create(
    appModule(SmartsuppWebhookModule.forRoot({ path: '/hooks/smartsupp', ...options })),
    { logger: false, abortOnError: false },
  )
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      app.getHttpServer().closeAllConnections?.()
      await app.close()
    },
  }
})
