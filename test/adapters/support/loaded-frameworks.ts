// Run in a child process (`tsx loaded-frameworks.ts <specifier>…`): imports each specifier and
// prints, as JSON, which framework packages Node loaded as a result.
import { createRequire } from 'node:module'

const frameworks = /[\\/]node_modules[\\/](express|express4|@nestjs[\\/][^\\/]+|body-parser|router)[\\/]/

for (const specifier of process.argv.slice(2)) await import(specifier)
const loaded = new Set<string>()
for (const file of Object.keys(createRequire(import.meta.url).cache)) {
  const match = frameworks.exec(file)
  if (match?.[1] !== undefined) loaded.add(match[1].replace('\\', '/'))
}
console.log(JSON.stringify([...loaded].sort()))
