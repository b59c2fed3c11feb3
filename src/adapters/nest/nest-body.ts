import type { BodyRead } from '../../receive/body-read.js'
import type { ReceivedBody } from '../../receive/received-body.js'
import { expressBody, type ParsedRequest, TEXT_BODY_NOTE } from '../express-body.js'
import { readNodeBody } from '../read-node-body.js'
import { PARSED_BODY_NOTE_NEST } from './nest-notes.js'

/** The body `@SmartsuppConversation()` found on a Nest request, for `SmartsuppConversationPipe` to decode. */
export class NestBody {
  constructor(
    readonly body: ReceivedBody | Exclude<BodyRead, { kind: 'body' }> | { readonly kind: 'consumed' },
    /** Why the bytes are not exact, naming the fix, or `null`. */
    readonly note: string | null,
    /** The limit the body was read with, in bytes (0 when the pipe did not read it). */
    readonly limitBytes = 0,
  ) {}
}

/**
 * Finds the body on a Nest request (Express platform): `req.rawBody` when the app was created
 * with `{ rawBody: true }`, else what the body parser left, else the unread stream (read here,
 * at most `limitBytes`). Any other platform: `req.body` as the body parser left it.
 */
export async function nestBody(req: unknown, limitBytes: number): Promise<NestBody> {
  const request = req as ParsedRequest
  if (typeof request?.on !== 'function') {
    const body = (req as { body?: unknown } | null)?.body
    return new NestBody(fromValue(body), PARSED_BODY_NOTE_NEST)
  }
  const found = expressBody(request)
  if (found.kind === 'consumed') return new NestBody(found, null)
  if (found.kind === 'found') {
    const kind = found.body.kind
    return new NestBody(
      found.body,
      kind === 'parsed' ? PARSED_BODY_NOTE_NEST : kind === 'text' ? TEXT_BODY_NOTE : null,
    )
  }
  const read = await readNodeBody(request, limitBytes)
  return new NestBody(read.kind === 'body' ? { kind: 'bytes', bytes: read.bytes } : read, null, limitBytes)
}

/** A value handed to the pipe directly (e.g. by `@Body()`) as a received body. */
export function fromValue(value: unknown): ReceivedBody {
  if (value instanceof Uint8Array) return { kind: 'bytes', bytes: value }
  if (typeof value === 'string') return { kind: 'text', text: value }
  return { kind: 'parsed', value }
}
