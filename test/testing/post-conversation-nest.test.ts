import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import type { Conversation } from 'smartsupp-hook'
import { SmartsuppHookModule } from 'smartsupp-hook/nest'
import { fixtures, postConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

describe('postConversation to a NestJS app: app.getHttpServer() after app.init()', () => {
  it('serves the initialised app on 127.0.0.1, delivers over real HTTP, and closes its server again', async () => {
    const received: Conversation[] = []
    const module = SmartsuppHookModule.forRoot({
      path: '/hooks/smartsupp',
      token: 'nest-test-token',
      onConversation: (conversation) => void received.push(conversation),
    })
    const app = await NestFactory.create(module, { logger: false })
    await app.init()
    try {
      const server = app.getHttpServer()
      const response = await postConversation(server, fixtures.transfer(), {
        url: '/hooks/smartsupp?token=nest-test-token',
      })
      expect([response.status, await response.json()]).toEqual([200, { ok: true }])
      expect(received.map((c) => c.id)).toEqual(['1005'])
      const broken = await postConversation(server, '{"id":', { url: '/hooks/smartsupp/nest-test-token' })
      expect(broken.status).toBe(400)
      expect(server.listening).toBe(false)
    } finally {
      await app.close()
    }
  })
})
