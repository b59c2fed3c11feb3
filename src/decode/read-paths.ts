import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import type { VisitedPage } from '../model/conversation.js'
import { appendIndex } from './format-path.js'
import { countKeys, EXPECTED, isObject, ownFields, readString, reportUnknownKeys } from './read-fields.js'
import type { Report } from './report.js'

const BASE = 'paths'
const KNOWN = DOCUMENTED_KEYS.path

/**
 * Reads `paths`; `null` (with a deviation) when it is missing or not an array. An entry that is
 * not an object is skipped with a deviation; it stays in `raw`.
 */
export function readPaths(u: unknown, r: Report): readonly VisitedPage[] | null {
  if (!Array.isArray(u)) {
    r.deviation(BASE, u === undefined ? 'missing' : 'invalid_type', EXPECTED.array, u)
    return null
  }
  const pages: VisitedPage[] = []
  for (let i = 0; i < u.length; i++) {
    const value: unknown = u[i]
    if (!isObject(value)) {
      if (r.exhausted) {
        r.error(
          BASE,
          'unexpected_error',
          EXPECTED.object,
          u,
          `${u.length - i} entries not read: too many issues`,
        )
        break
      }
      r.deviation(() => appendIndex(BASE, i), 'invalid_type', EXPECTED.object, value, 'entry skipped')
      continue
    }
    const entry = r.plainJson ? value : ownFields(value)
    const url = entry.url
    const title = entry.title
    // The common case needs no path string: build it only when something is off.
    if (typeof url === 'string' && typeof title === 'string' && countKeys(entry) === 2) {
      pages.push({ url, title })
      continue
    }
    const base = appendIndex(BASE, i)
    pages.push({ url: readString(url, 'url', base, r), title: readString(title, 'title', base, r) })
    reportUnknownKeys(entry, KNOWN, base, r)
  }
  return pages
}
