/** What the pins (`appId`, `maxEventAgeMs`) read from a body the decoder refused. */
export interface ReadableEnvelope {
  /** `app_id` when it is a string; `null` when absent or of another type (the body names no app, so the pin keeps it). */
  readonly appId: string | null
  /** `timestamp` as a time when it is a string `Date` reads; else `null` (its age cannot be judged). */
  readonly timestamp: Date | null
}

/**
 * The envelope fields of an authentic body that did not decode, when the body is at least a JSON
 * object; `null` when it is not (not JSON, an array, …): then nothing can be read and the pins
 * cannot apply. Never throws (a hostile body that JSON.parse refuses is `null`).
 */
export function readableEnvelope(bytes: Uint8Array): ReadableEnvelope | null {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const own = (key: string): unknown =>
    Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined
  const appId = own('app_id')
  const timestamp = own('timestamp')
  const time = typeof timestamp === 'string' ? new Date(timestamp) : null
  return {
    appId: typeof appId === 'string' ? appId : null,
    timestamp: time !== null && Number.isFinite(time.getTime()) ? time : null,
  }
}
