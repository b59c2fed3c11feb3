// Smartsupp's POST hook in a NestJS app. Run: npm run example:nest
import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import type { NestExpressApplication } from '@nestjs/platform-express'
import { AppModule } from './app.module.js'

// rawBody: true keeps the exact bytes, so a body that cannot be decoded reaches onInvalid as sent.
const app = await NestFactory.create<NestExpressApplication>(AppModule, {
  rawBody: true,
  logger: ['error', 'warn'],
})
app.useBodyParser('json', { limit: '1mb' }) // Nest's default is 100 kB; long conversations are larger
app.enableShutdownHooks()
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1')
if (!process.env.SMARTSUPP_HOOK_TOKEN)
  console.log(
    'SMARTSUPP_HOOK_TOKEN is not set, so this run uses a random token; set it: SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run example:nest',
  )
console.log(
  `listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/hooks/smartsupp/<SMARTSUPP_HOOK_TOKEN>`,
)
