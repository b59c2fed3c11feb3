import { HttpException, InternalServerErrorException, type PipeTransform } from '@nestjs/common'
import type { DecodeMode } from '../../decode/options.js'
import type { Conversation } from '../../model/conversation.js'
import { unreadOutcome } from '../../receive/body-read.js'
import { decodeReceived } from '../../receive/decode-received.js'
import { invalidAnswer } from '../../receive/invalid-answer.js'
import { rawBytes } from '../../receive/raw-bytes.js'
import type { ReceiveContext } from '../../receive/receive-context.js'
import {
  type OnInvalid,
  type ResolvedDecodeOptions,
  resolveDecodeOptions,
} from '../../receive/receive-options.js'
import { fromValue, NestBody, nestBodyNote } from './nest-body.js'
import {
  CONSUMED_BODY_MESSAGE_NEST,
  FORM_BODY_MESSAGE_NEST,
  UNDEFINED_BODY_MESSAGE_NEST,
} from './nest-notes.js'

/** What `onInvalid` receives besides the failure and the raw bytes. */
export type NestInvalidContext = Pick<ReceiveContext, 'rawBodySource' | 'rawBodyNote'>

/** Options of `SmartsuppConversationPipe` and `@SmartsuppConversation()`. */
export interface SmartsuppPipeOptions {
  /** `'lenient'` (default) or `'strict'`. */
  readonly mode?: DecodeMode
  /** How many issues a failure keeps with their details. Default 50. */
  readonly maxIssues?: number
  /**
   * Called with every body that cannot be decoded and its raw bytes (a dead letter), before the
   * 400 `{ statusCode, error, issues }`; return an `InvalidReply` (status 200–599) to answer otherwise.
   */
  readonly onInvalid?: OnInvalid<NestInvalidContext>
}

/**
 * A Nest pipe that turns a request body into a `Conversation`: use it through
 * `@SmartsuppConversation()` (recommended), or as `@Body(new SmartsuppConversationPipe())` on a
 * body Nest parsed. An undecodable body throws an `HttpException` whose response is
 * `{ statusCode: 400, error, issues }`; a body it cannot have (e.g. `@Body()` of a `text/plain`
 * POST is `undefined`) throws a 500 whose `error` names the fix.
 */
export class SmartsuppConversationPipe implements PipeTransform<unknown, Promise<Conversation>> {
  readonly #onInvalid: OnInvalid<NestInvalidContext> | undefined
  readonly #decode: ResolvedDecodeOptions

  constructor(options: SmartsuppPipeOptions = {}) {
    this.#decode = resolveDecodeOptions(options.mode, options.maxIssues)
    this.#onInvalid = options.onInvalid
  }

  async transform(value: unknown): Promise<Conversation> {
    const found = value instanceof NestBody ? value : new NestBody(fromValue(value))
    const body = found.body
    if (body.kind === 'too_large' || body.kind === 'cut_off') {
      const outcome = unreadOutcome(body, found.limitBytes)
      throw new HttpException({ statusCode: outcome.status, ...(outcome.body as object) }, outcome.status)
    }
    if (body.kind === 'consumed') throw serverError(CONSUMED_BODY_MESSAGE_NEST)
    if (body.kind === 'form') throw serverError(FORM_BODY_MESSAGE_NEST)
    if (body.kind === 'parsed' && body.value === undefined) throw serverError(UNDEFINED_BODY_MESSAGE_NEST)
    const result = decodeReceived(body, this.#decode)
    if (result._tag === 'Right') return result.right
    const failure = result.left
    const context = { rawBodySource: body.kind, rawBodyNote: nestBodyNote(body) }
    const reply = await this.#onInvalid?.(failure, rawBytes(body), context)
    // A reply whose status is not 200–599 throws a TypeError here: Nest logs it and answers 500.
    const answer = invalidAnswer(failure, reply)
    const response =
      reply === undefined || reply === null || reply.body === undefined
        ? { statusCode: answer.status, ...(answer.body as object) }
        : answer.body
    throw new HttpException(response as string | Record<string, unknown>, answer.status)
  }
}

function serverError(message: string): InternalServerErrorException {
  return new InternalServerErrorException({ statusCode: 500, error: message })
}
