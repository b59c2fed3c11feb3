import { Module } from '@nestjs/common'
import { HookController } from './hook.controller.js'

@Module({ controllers: [HookController] })
export class AppModule {}
