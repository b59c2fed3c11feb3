import { describeValue } from './describe-value.js'

/** Reasons longer than this are cut: a host's error can carry a message of any size. */
const MAX_REASON_CHARS = 160

/**
 * Why something threw, on one bounded line: an `Error`'s message, a thrown string, or else a
 * description of the thrown value. It never throws itself — not for a message getter that
 * throws, nor for a value without `toString` (`Object.create(null)`), nor for a revoked Proxy —
 * and only the first 160 characters are ever looked at, so a 20 MB message costs nothing.
 */
export function reasonOf(e: unknown): string {
  let reason: string
  try {
    if (typeof e === 'string') reason = e
    else if (e instanceof Error) {
      const message: unknown = e.message
      reason = typeof message === 'string' ? message : describeValue(message)
    } else reason = describeValue(e)
  } catch {
    reason = 'a thrown value that could not be read'
  }
  const cut = reason.length > MAX_REASON_CHARS
  const line = (cut ? reason.slice(0, MAX_REASON_CHARS) : reason).replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return cut ? `${line}…` : line
}
