const PREVIEW_CHARS = 40

/**
 * A short, bounded description of a value for issue messages: `"abc" (a string)`, `42`,
 * `an array of 3 items`. Long strings are cut, so a huge body cannot make a huge message.
 */
export function describeValue(u: unknown): string {
  switch (typeof u) {
    case 'undefined':
      return 'nothing'
    case 'string':
      return u.length <= PREVIEW_CHARS
        ? `${JSON.stringify(u)} (a string)`
        : `${JSON.stringify(u.slice(0, PREVIEW_CHARS))}… (a string of ${u.length} characters)`
    case 'number':
      return String(u)
    case 'boolean':
      return String(u)
    case 'bigint': {
      const digits = u.toString()
      return digits.length <= PREVIEW_CHARS ? `${digits}n (a bigint)` : `a bigint of ${digits.length} digits`
    }
    case 'object':
      if (u === null) return 'null'
      try {
        if (Array.isArray(u)) return `an array of ${u.length} item${u.length === 1 ? '' : 's'}`
        if (ArrayBuffer.isView(u)) return `${u.byteLength} bytes`
      } catch {
        // A revoked Proxy, or an array-like whose length throws: describe it without reading it.
        return 'an object that cannot be read'
      }
      return 'an object'
    default:
      return `a ${typeof u}`
  }
}
