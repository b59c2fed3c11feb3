// Smartsupp's POST hook in a NestJS app. Run: npm run example:nest
import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import { AppModule } from './app.module.js'

// Nest's defaults (body parser on): SmartsuppHookModule needs nothing here.
const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] })
app.enableShutdownHooks()
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1')
if (!process.env.SMARTSUPP_HOOK_TOKEN)
  console.log(
    'SMARTSUPP_HOOK_TOKEN is not set, so this run uses a random token; set it: SMARTSUPP_HOOK_TOKEN=<a long random secret> npm run example:nest',
  )
console.log(
  `listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/hooks/smartsupp/<SMARTSUPP_HOOK_TOKEN>`,
)
