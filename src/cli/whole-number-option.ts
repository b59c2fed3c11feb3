import { usageError } from './parse-command-args.js'

/** A whole-number option of `command`, from `min` to `max`; anything else is a usage error naming it. */
export function wholeNumberOption(
  command: string,
  option: string,
  text: string,
  min: number,
  max: number,
): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(
      command,
      `${option} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    )
  }
  return n
}
