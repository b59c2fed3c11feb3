import { postHookJsonSchema } from './json-schema.js'

/** The published schema files and their exact text (internal: the build script and its test). */
export function schemaFiles(): Record<string, string> {
  return {
    'post-hook.json': `${JSON.stringify(postHookJsonSchema('current'), null, 2)}\n`,
    'post-hook-legacy.json': `${JSON.stringify(postHookJsonSchema('legacy'), null, 2)}\n`,
  }
}
