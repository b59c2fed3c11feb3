import { Module } from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { SmartsuppHookModule } from 'smartsupp-hook/nest'
import { ConversationsService } from './conversations.service.js'

/** Used only when SMARTSUPP_HOOK_TOKEN is not set: a random token for this run (never printed). */
export const fallbackToken = crypto.randomUUID()

@Module({ providers: [ConversationsService], exports: [ConversationsService] })
export class ConversationsModule {}

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    // The token and the callbacks come from Nest's dependency injection when the app is created.
    SmartsuppHookModule.forRootAsync({
      imports: [ConfigModule, ConversationsModule],
      inject: [ConfigService, ConversationsService],
      useFactory: (config: ConfigService, conversations: ConversationsService) => ({
        path: '/hooks/smartsupp', // answers /hooks/smartsupp/<token> and /hooks/smartsupp?token=<token>
        token: config.get<string>('SMARTSUPP_HOOK_TOKEN') || fallbackToken,
        onConversation: (conversation) => conversations.save(conversation),
        onInvalid: (failure, rawBody) => conversations.keepDeadLetter(rawBody, failure),
      }),
    }),
  ],
})
export class AppModule {}
