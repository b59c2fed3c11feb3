// Preloaded by tests with NODE_OPTIONS=--import=…: `pg` and `@electric-sql/pglite` cannot be
// resolved, as when the optional drivers are not installed.
import { register } from 'node:module'

const hooks = `
const HIDDEN = new Set(['pg', '@electric-sql/pglite'])
export async function resolve(specifier, context, next) {
  if (HIDDEN.has(specifier)) {
    const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL)
    error.code = 'ERR_MODULE_NOT_FOUND'
    throw error
  }
  return next(specifier, context)
}
`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
