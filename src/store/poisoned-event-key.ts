/**
 * The de-duplication key of an authentic body that could not be decoded:
 * `smartsupp-webhook-poisoned:<SHA-256 of the bytes, 64 hex digits>`. Equal bytes give equal
 * keys, so a re-delivered poisoned body is stored once. SHA-256 (Web Crypto, any runtime) rather
 * than a 64-bit hash because a collision here would drop a different body as a re-delivery.
 */
export async function poisonedEventKey(bytes: Uint8Array): Promise<string> {
  // A copy, so a view into a larger or shared buffer hashes exactly its own bytes.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.slice())
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return `smartsupp-webhook-poisoned:${hex}`
}
