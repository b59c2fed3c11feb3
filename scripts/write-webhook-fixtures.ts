// Writes `webhookFixtures` to examples/payloads/webhooks/<name>.json (run after changing them;
// test/webhooks/fixtures.test.ts fails while the files and the fixtures differ).
import { mkdirSync, writeFileSync } from 'node:fs'
import { webhookFixtures } from 'smartsupp-hook/testing'

const dir = new URL('../examples/payloads/webhooks/', import.meta.url)
mkdirSync(dir, { recursive: true })
for (const [name, make] of Object.entries(webhookFixtures)) {
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(make(), null, 2)}\n`)
}
