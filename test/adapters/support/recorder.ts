import type { DecodeFailure, PostHookConversation } from 'smartsupp-hook'
import type { ReceiveContext } from 'smartsupp-hook/node'

/** Receiver options that record every callback, for assertions. */
export interface Recorder {
  readonly conversations: PostHookConversation[]
  /** The context of each conversation, in the same order. */
  readonly contexts: ReceiveContext<unknown>[]
  readonly invalid: { failure: DecodeFailure; rawBody: Uint8Array; context: ReceiveContext<unknown> }[]
  readonly errors: { error: unknown; rawBody: Uint8Array; source: string }[]
  readonly options: {
    onConversation(conversation: PostHookConversation, context: ReceiveContext<unknown>): Promise<void>
    onInvalid(
      failure: DecodeFailure,
      rawBody: Uint8Array,
      context: ReceiveContext<unknown>,
    ): undefined | Promise<undefined>
    onError(error: unknown, context: ReceiveContext<unknown>): void
  }
  /** When set, `onConversation` throws this. */
  fail: Error | null
  /** When true, `onConversation` and `onInvalid` never settle (a hung database). */
  hang: boolean
}

const never = new Promise<never>(() => {})

/** A fresh recorder. */
export function recorder(): Recorder {
  const r: Recorder = {
    conversations: [],
    contexts: [],
    invalid: [],
    errors: [],
    fail: null,
    hang: false,
    options: {
      async onConversation(conversation, context) {
        if (r.hang) await never
        // Let other requests interleave, as a real handler awaiting a database would.
        await new Promise((resolve) => setImmediate(resolve))
        if (r.fail !== null) throw r.fail
        r.conversations.push(conversation)
        r.contexts.push(context)
      },
      onInvalid(failure, rawBody, context) {
        r.invalid.push({ failure, rawBody: Uint8Array.from(rawBody), context })
        return r.hang ? never : undefined
      },
      onError(error, context) {
        r.errors.push({ error, rawBody: Uint8Array.from(context.rawBody), source: context.rawBodySource })
      },
    },
  }
  return r
}
