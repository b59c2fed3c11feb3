import type { BodyRead } from '../../receive/body-read.js'
import type { ReceivedBody } from '../../receive/received-body.js'
import { expressBody, type ParsedRequest } from '../express-body.js'
import { readNodeBody } from '../read-node-body.js'
import { PARSED_BODY_NOTE_NEST, TEXT_BODY_NOTE_NEST } from './nest-notes.js'

/** What `@SmartsuppConversation()` found on a Nest request when it holds no body to decode. */
export type NestNoBody =
  | Exclude<BodyRead, { kind: 'body' }>
  | { readonly kind: 'consumed' }
  | { readonly kind: 'form' }

/** The body `@SmartsuppConversation()` found on a Nest request, for `SmartsuppConversationPipe` to decode. */
export class NestBody {
  constructor(
    readonly body: ReceivedBody | NestNoBody,
    /** The limit the body was read with, in bytes (0 when the pipe did not read it). */
    readonly limitBytes = 0,
  ) {}
}

/** Why a body that is not the exact bytes is not, naming the fix; `null` for bytes (exact). */
export function nestBodyNote(body: ReceivedBody): string | null {
  return body.kind === 'parsed' ? PARSED_BODY_NOTE_NEST : body.kind === 'text' ? TEXT_BODY_NOTE_NEST : null
}

/**
 * Finds the body on a Nest request (Express platform): `req.rawBody` when the app was created
 * with `{ rawBody: true }`, else what the body parser left, else the unread stream (read here,
 * at most `limitBytes`; a declared `content-length` over it is refused unread). Any other
 * platform: `req.body` as the body parser left it.
 */
export async function nestBody(req: unknown, limitBytes: number): Promise<NestBody> {
  const request = req as ParsedRequest
  if (typeof request?.on !== 'function') {
    return new NestBody(fromValue((req as { body?: unknown } | null)?.body))
  }
  const found = expressBody(request)
  if (found.kind === 'found') return new NestBody(found.body)
  if (found.kind !== 'stream') return new NestBody(found)
  const length = request.headers['content-length']
  if (typeof length === 'string' && length !== '' && Number(length) > limitBytes) {
    return new NestBody({ kind: 'too_large' }, limitBytes)
  }
  const read = await readNodeBody(request, limitBytes)
  return new NestBody(read.kind === 'body' ? { kind: 'bytes', bytes: read.bytes } : read, limitBytes)
}

/** A value handed to the pipe directly (e.g. by `@Body()`) as a received body. */
export function fromValue(value: unknown): ReceivedBody {
  if (value instanceof Uint8Array) return { kind: 'bytes', bytes: value }
  if (typeof value === 'string') return { kind: 'text', text: value }
  return { kind: 'parsed', value }
}
