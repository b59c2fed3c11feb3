/**
 * A deep partial of a payload: objects are merged key by key, arrays and other values replace
 * what was there, and `undefined` leaves a field as it is. Extra keys (unknown fields) are allowed.
 */
export type PayloadPatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: PayloadPatch<T[K]> } & { [key: string]: unknown }
    : T

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  u !== null && typeof u === 'object' && !Array.isArray(u)

/** Applies a patch to a fresh value in place and returns it; the patch itself is copied, not shared. */
export function applyPatch<T>(target: T, patch: unknown): T {
  if (!isPlainObject(target) || !isPlainObject(patch)) return target
  for (const key of Object.keys(patch)) {
    const value = patch[key]
    if (value === undefined) continue
    const current = target[key]
    // defineProperty keeps keys such as `__proto__` plain data, as JSON.parse would.
    const next =
      isPlainObject(current) && isPlainObject(value) ? applyPatch(current, value) : structuredClone(value)
    Object.defineProperty(target, key, { value: next, enumerable: true, writable: true, configurable: true })
  }
  return target
}
