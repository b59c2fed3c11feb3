import { Module } from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { SmartsuppHookModule, SmartsuppWebhookModule } from 'smartsupp-hook/nest'
import { AppController } from './app.controller'
import { ConversationsService } from './conversations.service'

@Module({ providers: [ConversationsService], exports: [ConversationsService] })
export class ConversationsModule {}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    ConversationsModule,
    SmartsuppHookModule.forRootAsync({
      imports: [ConversationsModule],
      inject: [ConfigService, ConversationsService],
      useFactory: (config: ConfigService, conversations: ConversationsService) => ({
        path: '/hooks/smartsupp',
        token: config.getOrThrow<string>('SMARTSUPP_HOOK_TOKEN'),
        onConversation: (conversation) => conversations.save(conversation),
        onInvalid: (_failure, rawBody) => conversations.keepDeadLetter(rawBody),
      }),
    }),
    SmartsuppWebhookModule.forRootAsync({
      imports: [ConversationsModule],
      inject: [ConfigService, ConversationsService],
      useFactory: (config: ConfigService, conversations: ConversationsService) => ({
        path: '/webhooks/smartsupp',
        secret: config.getOrThrow<string>('SMARTSUPP_WEBHOOK_SECRET'),
        onEvent: (event) => conversations.saveEvent(event),
        onInvalid: (_failure, rawBody) => conversations.keepDeadLetter(rawBody),
      }),
    }),
  ],
  controllers: [AppController],
})
export class AppModule {}
