import { nativeHmac } from './native-hmac.js'
import { viewBytes } from './view-bytes.js'

/** The header that carries the signature: hex HMAC-SHA256 of the raw body (shared spec: Signature). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-smartsupp-hmac'

/** A secret as given: text (UTF-8 encoded) or bytes. */
export type WebhookSecret = string | Uint8Array

/** Why verification failed. */
export type WebhookSignatureFailure =
  /** No `X-Smartsupp-Hmac` header, or an empty one. */
  | 'missing'
  /** The header is not 64 hex digits. */
  | 'malformed'
  /** The header is well formed but matches no secret over these bytes. */
  | 'mismatch'
  /** Not the bytes received: a parsed object, or text re-serialised after a JSON parser. */
  | 'not_raw_body'

/** The outcome of `verifyWebhookSignature`; `message` says what to do about a failure. */
export type WebhookSignatureResult =
  | {
      readonly valid: true /** Which of the given secrets matched (0 for a single secret). */
      readonly secretIndex: number
    }
  | { readonly valid: false; readonly reason: WebhookSignatureFailure; readonly message: string }

/** What can be verified: the exact bytes received, or text holding exactly them. */
export type SignedBody = string | Uint8Array | ArrayBuffer | ArrayBufferView

const encoder = new TextEncoder()
const DIGEST_BYTES = 32
const EXACT_BYTES_FIX =
  'verify the exact bytes received: mount the receiver before express.json() (or use its `verify` hook, or express.raw()), read `await request.arrayBuffer()` in a Fetch handler, or collect the node:http stream'

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (s === undefined)
    throw new TypeError('smartsupp-hook: Web Crypto (globalThis.crypto.subtle) is not available')
  return s
}

/** The body's bytes, or `undefined` when it is not bytes or text (a parsed object). */
function bytesOf(body: unknown): Uint8Array | undefined {
  if (typeof body === 'string') return encoder.encode(body)
  // Any typed array or DataView, also of another realm (ArrayBuffer.isView, not instanceof).
  const view = viewBytes(body)
  if (view !== null) return view
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]')
    return new Uint8Array(body as ArrayBuffer)
  return undefined
}

function secretsOf(secret: WebhookSecret | readonly WebhookSecret[]): Uint8Array[] {
  if (typeof secret === 'string') {
    const bytes = secretBytes(secret)
    if (bytes !== undefined) return [bytes]
  }
  const list = Array.isArray(secret) ? (secret as readonly WebhookSecret[]) : [secret as WebhookSecret]
  if (list.length === 0) throw new TypeError('smartsupp-hook: no webhook secret given')
  return list.map((s, i) => {
    const bytes = typeof s === 'string' ? secretBytes(s) : bytesOf(s)
    if (bytes === undefined || bytes.byteLength === 0) {
      throw new TypeError(`smartsupp-hook: webhook secret ${i} is empty or not a string or bytes`)
    }
    return bytes
  })
}

/** Text secrets as UTF-8, so a receiver does not encode its secret on every request (a few secrets at most). */
const encodedSecrets = new Map<string, Uint8Array>()

/** A text secret's UTF-8 bytes (kept, never handed out to be changed), or `undefined` when it is empty. */
function secretBytes(secret: string): Uint8Array | undefined {
  if (secret === '') return undefined
  let bytes = encodedSecrets.get(secret)
  if (bytes === undefined) {
    bytes = encoder.encode(secret)
    if (encodedSecrets.size >= MAX_CACHED_KEYS) encodedSecrets.clear()
    encodedSecrets.set(secret, bytes)
  }
  return bytes
}

/** Imported keys by secret, so a receiver does not import its key on every request (a few secrets at most). */
const keys = new Map<string, Promise<CryptoKey>>()
const MAX_CACHED_KEYS = 16

function keyOf(secret: Uint8Array): Promise<CryptoKey> {
  let id = ''
  for (let i = 0; i < secret.length; i++) id += String.fromCharCode(secret[i] as number)
  let key = keys.get(id)
  if (key === undefined) {
    key = subtle().importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])
    if (keys.size >= MAX_CACHED_KEYS) keys.clear()
    keys.set(id, key)
    // A failed import is not kept: the next call tries again.
    key.catch(() => keys.delete(id))
  }
  return key
}

async function webHmac(secret: Uint8Array, body: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', await keyOf(secret), body as BufferSource))
}

/**
 * Whether `received` is the HMAC of `body` with `secret`: through `node:crypto`, synchronously,
 * where the runtime has it (a Web Crypto call costs 10–20× more on Node: an async job on the
 * thread pool), else Web Crypto. Compared in constant time either way.
 */
function signatureMatches(
  secret: Uint8Array,
  body: Uint8Array,
  received: Uint8Array,
): boolean | Promise<boolean> {
  const native = nativeHmac()
  if (native !== null) return native.equal(native.sha256(secret, body), received)
  return webHmac(secret, body).then((digest) => digestsEqual(digest, received))
}

async function hmac(secret: Uint8Array, body: Uint8Array): Promise<Uint8Array> {
  const native = nativeHmac()
  return native !== null ? native.sha256(secret, body) : webHmac(secret, body)
}

/** The 32 digest bytes of a 64-digit hex header (either case, surrounding spaces allowed), or `undefined`. */
function digestOf(header: string): Uint8Array | undefined {
  const hex = header.trim()
  if (hex.length !== DIGEST_BYTES * 2) return undefined
  const out = new Uint8Array(DIGEST_BYTES)
  for (let i = 0; i < DIGEST_BYTES; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i))
    const lo = hexValue(hex.charCodeAt(2 * i + 1))
    if (hi < 0 || lo < 0) return undefined
    out[i] = (hi << 4) | lo
  }
  return out
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return -1
}

/** Equal digests, compared in time that depends only on their length, never on where they differ. */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

function fail(reason: WebhookSignatureFailure, message: string): WebhookSignatureResult {
  return { valid: false, reason, message: `smartsupp-hook: ${message}` }
}

/**
 * Checks `X-Smartsupp-Hmac` against the raw request body: the hex HMAC-SHA256 of the exact bytes,
 * keyed with the app's secret. Pass several secrets while rotating; the digest is compared in
 * constant time, hex in either case. Through `node:crypto` where the runtime has it (Node ≥ 20.16,
 * Bun, Deno, Workers with nodejs_compat: reached without an import), else Web Crypto, so it runs
 * in any runtime.
 * Resolves to `{ valid: true, secretIndex }` or `{ valid: false, reason, message }`; rejects only
 * for a missing or empty secret (a setup error). A parsed body (`req.body` after `express.json()`)
 * and text re-serialised from one are recognised and explained (`reason: 'not_raw_body'`).
 *
 * @param header The header's value as a framework gives it: a string, `undefined`, `null`, or an array.
 */
export async function verifyWebhookSignature(
  rawBody: SignedBody,
  header: string | readonly string[] | null | undefined,
  secret: WebhookSecret | readonly WebhookSecret[],
): Promise<WebhookSignatureResult> {
  const secrets = secretsOf(secret)
  const body = bytesOf(rawBody)
  if (body === undefined) {
    return fail(
      'not_raw_body',
      `the body is ${rawBody === null ? 'null' : `a ${typeof rawBody}`}, not the raw bytes: a signature covers the exact bytes Smartsupp sent, so a parsed body cannot be verified; ${EXACT_BYTES_FIX}`,
    )
  }
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header
  if (Array.isArray(header) && header.length > 1) {
    return fail('malformed', `${header.length} X-Smartsupp-Hmac headers; expected one`)
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return fail('missing', 'no X-Smartsupp-Hmac header: the request is not signed')
  }
  const received = digestOf(value)
  if (received === undefined) {
    return fail('malformed', 'the X-Smartsupp-Hmac header is not 64 hex digits (a hex HMAC-SHA256)')
  }
  let matched = -1
  for (let i = 0; i < secrets.length; i++) {
    // Every secret is tried, so the time does not tell which one matched.
    const matches = signatureMatches(secrets[i] as Uint8Array, body, received)
    if ((typeof matches === 'boolean' ? matches : await matches) && matched < 0) matched = i
  }
  if (matched >= 0) return { valid: true, secretIndex: matched }
  if (await reserialisedMatches(body, received, secrets)) {
    return fail(
      'not_raw_body',
      `the signature matches a different serialisation of this JSON, not these bytes: the body was re-serialised after a JSON parser; ${EXACT_BYTES_FIX}`,
    )
  }
  return fail(
    'mismatch',
    `the X-Smartsupp-Hmac signature does not match the body with ${secrets.length === 1 ? 'the secret' : `any of the ${secrets.length} secrets`} (a wrong secret, or not the exact bytes received)`,
  )
}

/** Bodies larger than this are not re-serialised to diagnose a mismatch (64 KiB). */
const MAX_DIAGNOSED_BYTES = 65_536

/**
 * After a mismatch only, for bodies up to 64 KiB: whether the signature matches the same JSON
 * written compactly or indented (2 or 4 spaces), that is, whether the caller passed re-serialised
 * text. It is a diagnosis; such a body is still rejected.
 */
async function reserialisedMatches(
  body: Uint8Array,
  received: Uint8Array,
  secrets: readonly Uint8Array[],
): Promise<boolean> {
  // Bounded: every unauthenticated request can get here, so the diagnosis stays cheap.
  if (body.byteLength > MAX_DIAGNOSED_BYTES) return false
  const text = new TextDecoder().decode(body)
  let forms: Set<string>
  try {
    // Inside the try: a hostile body (200 000 nested arrays) overflows the stack in stringify too.
    const value: unknown = JSON.parse(text)
    forms = new Set([JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, 4)])
  } catch {
    return false
  }
  forms.delete(text)
  for (const form of forms) {
    const bytes = encoder.encode(form)
    for (const secret of secrets) if (await signatureMatches(secret, bytes, received)) return true
  }
  return false
}

/**
 * The `X-Smartsupp-Hmac` value Smartsupp would send for `body`: lowercase hex HMAC-SHA256, keyed
 * with `secret`. For tests and local tools; a receiver verifies with `verifyWebhookSignature`.
 */
export async function signWebhookBody(body: SignedBody, secret: WebhookSecret): Promise<string> {
  const [key] = secretsOf(secret)
  const bytes = bytesOf(body)
  if (bytes === undefined) throw new TypeError('smartsupp-hook: signWebhookBody needs a string or bytes')
  const digest = await hmac(key as Uint8Array, bytes)
  let hex = ''
  for (let i = 0; i < digest.length; i++) hex += (digest[i] as number).toString(16).padStart(2, '0')
  return hex
}
