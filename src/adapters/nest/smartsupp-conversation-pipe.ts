import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  type PipeTransform,
} from '@nestjs/common'
import { decodeConversation } from '../../decode/decode-conversation.js'
import type { DecodeFailure } from '../../decode/decode-failure.js'
import { type DecodeMode, resolveOptions } from '../../decode/options.js'
import { parseConversation } from '../../decode/parse-conversation.js'
import type { Conversation } from '../../model/conversation.js'
import { unreadOutcome } from '../../receive/body-read.js'
import type { RawBodySource } from '../../receive/receive-context.js'
import type { InvalidReply } from '../../receive/receive-options.js'
import type { ReceivedBody } from '../../receive/received-body.js'
import { CONSUMED_BODY_MESSAGE } from '../express-body.js'
import { fromValue, NestBody } from './nest-body.js'

/** What `onInvalid` receives besides the failure and the raw bytes. */
export interface NestInvalidContext {
  readonly rawBodySource: RawBodySource
  /** `null` when the raw body is exact; otherwise why not, and the fix (`{ rawBody: true }`). */
  readonly rawBodyNote: string | null
}

/** Options of `SmartsuppConversationPipe` and `@SmartsuppConversation()`. */
export interface SmartsuppPipeOptions {
  /** `'lenient'` (default) or `'strict'`. */
  readonly mode?: DecodeMode
  /** How many issues a failure keeps with their details. Default 50. */
  readonly maxIssues?: number
  /**
   * Called with every body that cannot be decoded and its raw bytes (a dead letter), before the
   * 400 `{ error, issues }`; return an `InvalidReply` to answer otherwise.
   */
  readonly onInvalid?: (
    failure: DecodeFailure,
    rawBody: Uint8Array,
    context: NestInvalidContext,
    // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing keeps the default answer
  ) => InvalidReply | undefined | void | Promise<InvalidReply | undefined | void>
}

const utf8 = new TextEncoder()

function rawBytes(body: ReceivedBody): Uint8Array {
  if (body.kind === 'bytes') return body.bytes
  if (body.kind === 'text') return utf8.encode(body.text)
  try {
    return utf8.encode(JSON.stringify(body.value) ?? '')
  } catch {
    return new Uint8Array(0)
  }
}

/**
 * A Nest pipe that turns a request body into a `Conversation`: use it as `@Body(new
 * SmartsuppConversationPipe())` (a Buffer, string or parsed body) or through
 * `@SmartsuppConversation()`. An undecodable body throws `BadRequestException` whose response is
 * `{ statusCode: 400, error, issues }`.
 */
export class SmartsuppConversationPipe implements PipeTransform<unknown, Promise<Conversation>> {
  readonly #options: SmartsuppPipeOptions
  readonly #decode: { mode: DecodeMode; maxIssues?: number }

  constructor(options: SmartsuppPipeOptions = {}) {
    const { mode = 'lenient', maxIssues } = options
    resolveOptions({ mode, ...(maxIssues === undefined ? {} : { maxIssues }) })
    this.#options = options
    this.#decode = maxIssues === undefined ? { mode } : { mode, maxIssues }
  }

  async transform(value: unknown): Promise<Conversation> {
    const found = value instanceof NestBody ? value : new NestBody(fromValue(value), null)
    const body = found.body
    if (body.kind === 'consumed')
      throw new InternalServerErrorException({ statusCode: 500, error: CONSUMED_BODY_MESSAGE })
    if (body.kind === 'too_large' || body.kind === 'cut_off') {
      const outcome = unreadOutcome(body, found.limitBytes)
      throw new HttpException(outcome.body as Record<string, unknown>, outcome.status)
    }
    const result =
      body.kind === 'bytes'
        ? parseConversation(body.bytes, this.#decode)
        : body.kind === 'text'
          ? parseConversation(body.text, this.#decode)
          : decodeConversation(body.value, this.#decode)
    if (result._tag === 'Right') return result.right
    const failure = result.left
    const context = { rawBodySource: body.kind, rawBodyNote: body.kind === 'bytes' ? null : found.note }
    const reply = await this.#options.onInvalid?.(failure, rawBytes(body), context)
    if (reply)
      throw new HttpException(
        (reply.body ?? errorResponse(failure)) as string | Record<string, unknown>,
        reply.status,
      )
    throw new BadRequestException(errorResponse(failure))
  }
}

function errorResponse(failure: DecodeFailure) {
  return { statusCode: 400, error: failure.message, issues: failure.issues }
}
