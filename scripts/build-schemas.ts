// Writes the JSON Schemas derived from the codecs to schemas/ (run by `npm run build`; the files
// are committed too, and a test fails when they differ from what the codecs give).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemaFiles } from '../src/codecs/schema-files.js'

const dir = fileURLToPath(new URL('../schemas/', import.meta.url))
mkdirSync(dir, { recursive: true })
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(dir, name), text)
  process.stdout.write(`schemas/${name}\n`)
}
