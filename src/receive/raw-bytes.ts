import type { ReceivedBody } from './received-body.js'

const utf8 = new TextEncoder()
const EMPTY = new Uint8Array(0)

/**
 * A received body as bytes: the exact bytes, the UTF-8 encoding of decoded text, or
 * `JSON.stringify` of a parsed value (empty when that value cannot be serialised, or when there
 * is no body: `none`).
 */
export function rawBytes(body: ReceivedBody): Uint8Array {
  if (body.kind === 'bytes') return body.bytes
  if (body.kind === 'text') return utf8.encode(body.text)
  if (body.kind === 'none') return EMPTY
  try {
    const text = JSON.stringify(body.value)
    return typeof text === 'string' ? utf8.encode(text) : EMPTY
  } catch {
    return EMPTY
  }
}
